using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using NodaTime.Testing;
using Reglament.Demo;

namespace Reglament.Tests.Web;

/// <summary>The queue and tickets are not shown to anyone who has not signed in.</summary>
public sealed class DeskClosedTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-closed-").FullName;
    private WebApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory },
            new FakeClock(NodaTime.Instant.FromUtc(2027, 10, 5, 9, 0)), b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
        await DemoSeeder.SeedAsync(app.Services, TestContext.Current.CancellationToken);
        await Reglament.Cli.ServeCommand.SeedDemoStaffAsync(app.Services, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task QueueAndTicket_AreNotShown_ButTheKnowledgeBaseIsPublic()
    {
        using var client = app.GetTestClient();
        var token = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/desk/ticket/RG-000001", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tickets/RG-000001", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/kb/article/000032", token)).StatusCode);
    }

    [Fact]
    public async Task Queue_WarnsLoudlyAboutMissingAndProvisionalCalendarYears()
    {
        using var browser = new Reglament.Tests.Infrastructure.StaffBrowser(app);
        await browser.SignInAsync("engineer", "demo-engineer");
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("Производственный календарь на 2027: предварительный", queue, StringComparison.Ordinal);
        Assert.Contains("Производственный календарь на 2028: отсутствует", queue, StringComparison.Ordinal);
    }
}
