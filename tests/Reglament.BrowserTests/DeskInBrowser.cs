using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Data;
using Reglament.Demo;

namespace Reglament.BrowserTests;

/// <summary>The demo desk on Kestrel (loopback, its own SQLite directory) and Debian's chromium driven by Playwright:
/// what every browser test starts from. Screenshots go to TestResults/screenshots at the repository root.</summary>
public abstract class DeskInBrowser : IAsyncLifetime
{
    // As root chromium needs --no-sandbox; the resolver rule keeps it from looking up any host but ours.
    private static readonly string[] ChromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"];

    /// <summary>Tuesday 2024-04-23 10:00 Moscow: inside working hours, so the countdowns run.</summary>
    protected static readonly Instant Tuesday10Msk = Instant.FromUtc(2024, 4, 23, 7, 0);

    private readonly string directory = Directory.CreateTempSubdirectory("reglament-browser-").FullName;
    private readonly string screenshots = Path.Combine(FindRoot(), "TestResults", "screenshots");
    private readonly List<string> scriptErrors = [];
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    protected WebApplication App { get; private set; } = null!;

    protected FakeClock Clock { get; } = new(Tuesday10Msk);

    protected string BaseUrl { get; private set; } = "";

    /// <summary>Configuration on top of the demo's; a test class overrides it to switch something off.</summary>
    protected virtual Dictionary<string, string?> Settings => [];

    public async ValueTask InitializeAsync()
    {
        var token = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(Settings) { ["Storage:DataDirectory"] = directory };
        Reglament.Tests.Infrastructure.TrainedModels.CopyInto(directory);
        // As `serve --demo` does: the demo's mail comes from no border server whose Authentication-Results could be
        // trusted, so without this every demo request is refused as unauthenticated (R6) and no deadline runs.
        settings.TryAdd("Policy:Authentication:Disabled", "true");
        App = Reglament.Web.WebApp.Build([], settings, Clock, b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        await ReglamentServices.PrepareAsync(App.Services, token);
        await DemoSeeder.SeedAsync(App.Services, token);
        await ServeCommand.SeedDemoStaffAsync(App.Services, token);
        await App.StartAsync(token);
        BaseUrl = App.Urls.Single().TrimEnd('/');
        Directory.CreateDirectory(screenshots);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROME_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Reglament.Tests.Infrastructure.TrainedModels.KeepFrom(directory);
        Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh browser context (its own cookies) whose script errors fail <see cref="AssertNoScriptErrors"/>.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 }, Locale = "ru-RU" });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") scriptErrors.Add($"{page.Url}: {m.Text} ({m.Location})"); };
        return page;
    }

    /// <summary>Signs a member of staff in through the sign-in form and waits for the queue.</summary>
    protected async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GotoAsync(BaseUrl + "/account/signin");
        await page.GetByLabel("Логин").FillAsync(login);
        await page.GetByLabel("Пароль").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Войти" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Очередь заявок");
    }

    protected async Task Shot(IPage page, string name)
    {
        var path = Path.Combine(screenshots, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000);
    }

    protected void AssertNoScriptErrors() => Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));

    protected async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    /// <summary>The repository root (where Reglament.slnx is), so screenshots land in its TestResults.</summary>
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reglament.slnx")))
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
