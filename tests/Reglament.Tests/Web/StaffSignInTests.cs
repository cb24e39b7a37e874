using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Demo;
using Reglament.Staff;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>Staff sign-in over HTTP with the real application: cookies, antiforgery, roles, lockout, rate limit.</summary>
public sealed class StaffSignInTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-signin-").FullName;
    private readonly FakeClock clock = new(TestDesk.Tuesday10Msk);
    private WebApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Staff:SignInAttemptsPerMinute"] = "100",
        }, clock, b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
        await DemoSeeder.SeedAsync(app.Services, TestContext.Current.CancellationToken);
        await ServeCommand.SeedDemoStaffAsync(app.Services, TestContext.Current.CancellationToken);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetAsync("admin", "Администратор", StaffRole.Administrator, "admin-password", TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/desk/ticket/RG-000001")]
    [InlineData("/admin/users")]
    public async Task WithoutSignIn_DeskPagesRedirectToSignIn(string url)
    {
        using var browser = new StaffBrowser(app);
        var response = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeBaseStaysPublic_AndTheApiKeepsItsKeys()
    {
        using var browser = new StaffBrowser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/kb/article/000032")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/tickets/RG-000001")).StatusCode);
    }

    [Fact]
    public async Task Engineer_SignsIn_SeesTheQueueAndTicket_ButNotTheAdminPages()
    {
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("Engineer", "demo-engineer");

        var queue = await browser.GetStringAsync("/");
        Assert.Contains("RG-000001", queue, StringComparison.Ordinal);
        Assert.Contains("Анна Смирнова", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/users", queue, StringComparison.Ordinal);
        Assert.Contains("R6", await browser.GetStringAsync("/desk/ticket/RG-000001"), StringComparison.Ordinal);

        var admin = await browser.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("/account/denied", admin.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(admin.Headers.Location.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task Administrator_SeesTheStaffList()
    {
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("admin", "admin-password");
        var users = await browser.GetStringAsync("/admin/users");
        Assert.Contains("engineer", users, StringComparison.Ordinal);
        Assert.Contains("руководитель", users, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInCookie_IsHttpOnlyAndLax()
    {
        using var browser = new StaffBrowser(app);
        var response = await browser.SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "demo-engineer" });
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("reglament.staff=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PostWithoutAntiforgeryToken_IsRejected()
    {
        using var browser = new StaffBrowser(app);
        await browser.GetStringAsync("/account/signin");
        var response = await browser.PostAsync("/account/signin", new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "demo-engineer" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task WrongPassword_IsRefused_AndFiveFailuresLockTheAccountFor15Minutes()
    {
        using var browser = new StaffBrowser(app);
        var form = new Dictionary<string, string> { ["Login"] = "supervisor", ["Password"] = "wrong" };
        for (var i = 0; i < 4; i++)
        {
            var page = await (await browser.SubmitAsync("/account/signin", "/account/signin", form)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("Неверный логин или пароль", page, StringComparison.Ordinal);
        }
        var fifth = await (await browser.SubmitAsync("/account/signin", "/account/signin", form)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var unknown = await (await browser.SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = "nobody-here", ["Password"] = "wrong" }))
            .Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        // A locked account answers exactly as an unknown login does: the form does not tell which logins exist.
        Assert.Equal(ErrorOf(unknown), ErrorOf(fifth));
        Assert.Contains("Неверный логин или пароль", ErrorOf(fifth), StringComparison.Ordinal);

        // The right password does not open a locked account…
        var right = new Dictionary<string, string> { ["Login"] = "supervisor", ["Password"] = "demo-supervisor" };
        Assert.Equal(HttpStatusCode.OK, (await browser.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
        clock.Advance(Duration.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await browser.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
        // …until 15 minutes have passed.
        clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
    }

    [Fact]
    public async Task AStrangersFailures_LockOutStrangers_NotTheEngineersOwnBrowser()
    {
        var right = new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "demo-engineer" };
        using var desk = new StaffBrowser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.SubmitAsync("/", "/account/signout", new Dictionary<string, string>())).StatusCode);

        // Someone else types five wrong passwords for the engineer's login.
        using var stranger = new StaffBrowser(app);
        for (var i = 0; i < 5; i++)
            await stranger.SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "guess" + i });
        Assert.Equal(HttpStatusCode.OK, (await stranger.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
        using var newBrowser = new StaffBrowser(app);
        Assert.Equal(HttpStatusCode.OK, (await newBrowser.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);

        // The engineer's own browser still gets in, and its own typo does not count towards the lock…
        Assert.Equal(HttpStatusCode.OK, (await desk.SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "typo" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
        // …nor does its success lift the lock on the strangers.
        Assert.Equal(HttpStatusCode.OK, (await newBrowser.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
    }

    [Fact]
    public async Task AForgedDeviceCookie_IsAStrangersBrowser()
    {
        using var stranger = new StaffBrowser(app);
        for (var i = 0; i < 5; i++)
            await stranger.SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = "supervisor", ["Password"] = "guess" + i });
        stranger.Cookies.Add(new Uri("http://127.0.0.1/account/signin"), new Cookie(Reglament.Web.DeviceCookie.Name, "supervisor"));
        var right = new Dictionary<string, string> { ["Login"] = "supervisor", ["Password"] = "demo-supervisor" };
        Assert.Equal(HttpStatusCode.OK, (await stranger.SubmitAsync("/account/signin", "/account/signin", right)).StatusCode);
    }

    private static string ErrorOf(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "<p class=\"error\" role=\"alert\">([^<]*)</p>").Groups[1].Value;

    [Fact]
    public async Task ReturnUrl_OutsideTheSite_IsIgnored()
    {
        using var browser = new StaffBrowser(app);
        var response = await browser.SubmitAsync("/account/signin?ReturnUrl=https%3A%2F%2Fevil.example%2F", "/account/signin?ReturnUrl=https%3A%2F%2Fevil.example%2F",
            new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "demo-engineer" });
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Pages_CarryTheSecurityHeaders()
    {
        using var browser = new StaffBrowser(app);
        var response = await browser.GetAsync("/account/signin");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("engineer", "demo-engineer");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/", "/account/signout", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }
}

/// <summary>The rate limiter on the sign-in POST, with its default of 10 per minute.</summary>
public sealed class SignInRateLimitTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-limit-").FullName;
    private WebApplication app = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory },
            new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TheEleventhSignInPostInAMinute_Gets429_ButThePageStillOpens()
    {
        using var browser = new StaffBrowser(app);
        var form = new Dictionary<string, string> { ["Login"] = "nobody", ["Password"] = "x" };
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await browser.SubmitAsync("/account/signin", "/account/signin", form)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SubmitAsync("/account/signin", "/account/signin", form)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/signin")).StatusCode);
    }
}
