using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>The queue and tickets are not shown to anyone who has not signed in.</summary>
public sealed class DeskClosedTests : IAsyncLifetime
{
    private DemoWebApp web = null!;

    public async ValueTask InitializeAsync()
    {
        web = await DemoWebApp.StartAsync(NodaTime.Instant.FromUtc(2027, 10, 5, 9, 0));
    }

    private WebApplication app => web.App;

    public async ValueTask DisposeAsync()
    {
        await web.DisposeAsync();
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
