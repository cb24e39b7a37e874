using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Tests.Infrastructure;
using Reglament.Web;

namespace Reglament.Tests.Web;

/// <summary>Two nodes — two whole applications on one database, one clock — share one sign-in limit, and the limit
/// starts again with the next window; on both engines.</summary>
public abstract class SharedRateLimitContract(Engine engine, PostgresServer? postgres) : IAsyncLifetime
{
    private const int Limit = 3;
    private readonly FakeClock clock = new(TestDesk.Tuesday10Msk);
    private string? directory;
    private WebApplication first = null!;
    private WebApplication second = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Staff:SignInAttemptsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (engine == Engine.Postgres)
            settings["ConnectionStrings:Postgres"] = postgres!.NewDatabase();
        else
            settings["Storage:DataDirectory"] = directory = Directory.CreateTempSubdirectory("reglament-shared-limit-").FullName;
        // One after the other: the first migrates, the second finds the schema current, as a second node would.
        first = await StartAsync(settings);
        second = await StartAsync(settings);
    }

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var app = WebApp.Build([], settings, clock, b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, Token);
        await app.StartAsync(Token);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (directory is not null)
            Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private async Task<List<RateLimitWindow>> WindowsAsync()
    {
        await using var scope = first.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Set<RateLimitWindow>().AsNoTracking().ToListAsync(Token);
    }

    private static async Task<HttpStatusCode> SignInAsync(StaffBrowser browser) =>
        (await browser.SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = "nobody", ["Password"] = "x" })).StatusCode;

    [Fact]
    public async Task TwoNodes_ShareOneLimit_AndItStartsAgainInTheNextWindow()
    {
        using var onFirst = new StaffBrowser(first);
        using var onSecond = new StaffBrowser(second);
        // Three attempts spread over both nodes use up the minute's allowance of three…
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(onFirst));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(onSecond));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(onFirst));
        // …so each node refuses the next one: per node it would have been the second and the third.
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(onSecond));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(onFirst));
        var window = Assert.Single(await WindowsAsync());
        Assert.Equal((TestDesk.Tuesday10Msk, 5), (window.Start, window.Count));

        clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(onSecond));
        // The first request of the new window deleted the old one.
        window = Assert.Single(await WindowsAsync());
        Assert.Equal((TestDesk.Tuesday10Msk + Duration.FromMinutes(1), 1), (window.Start, window.Count));
    }

    [Fact]
    public async Task CountsAtOnceOnTwoNodes_AreEachCountedOnce()
    {
        var policy = new SharedRateLimitPolicy("test", 7, Duration.FromHours(1), _ => "p");
        async Task<bool> CountAsync(WebApplication node)
        {
            await using var scope = node.Services.CreateAsyncScope();
            return await node.Services.GetRequiredService<SharedRateLimits>().TryCountAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), policy, "p", Token);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => CountAsync(i % 2 == 0 ? first : second), Token)));

        Assert.Equal(7, results.Count(allowed => allowed));
        Assert.Equal(20, Assert.Single(await WindowsAsync(), w => w.Key == "test:p").Count);
    }
}

public sealed class SqliteSharedRateLimitTests() : SharedRateLimitContract(Engine.Sqlite, null);

public sealed class PostgresSharedRateLimitTests(PostgresServer postgres) : SharedRateLimitContract(Engine.Postgres, postgres);
