using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Data;
using Reglament.Demo;

namespace Reglament.BrowserTests;

/// <summary>An engineer's morning in Debian's chromium: sign in, take the most urgent ticket, answer with a
/// knowledge-base link, change a criticality with a reason. Screenshots go to TestResults/screenshots.</summary>
public sealed class AgentConsoleTests : IAsyncLifetime
{
    // As root chromium needs --no-sandbox; the resolver rule keeps it from looking up any host but ours.
    private static readonly string[] ChromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"];

    /// <summary>Tuesday 2024-04-23 10:00 Moscow: inside working hours, so the countdowns run.</summary>
    private static readonly Instant Tuesday10Msk = Instant.FromUtc(2024, 4, 23, 7, 0);

    private readonly string directory = Directory.CreateTempSubdirectory("reglament-browser-").FullName;
    private readonly string screenshots = Path.Combine(FindRoot(), "TestResults", "screenshots");
    private WebApplication app = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private string baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        var token = TestContext.Current.CancellationToken;
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Knowledge:AutoAnswer"] = "false",
        }, new FakeClock(Tuesday10Msk), b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        await ReglamentServices.PrepareAsync(app.Services, token);
        await DemoSeeder.SeedAsync(app.Services, token);
        await ServeCommand.SeedDemoStaffAsync(app.Services, token);
        await app.StartAsync(token);
        baseUrl = app.Urls.Single().TrimEnd('/');
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
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Engineer_SignsIn_AnswersTheMostUrgentTicket_AndChangesACriticality()
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 }, Locale = "ru-RU" });
        var scriptErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") scriptErrors.Add($"{page.Url}: {m.Text} ({m.Location})"); };

        await page.GotoAsync(baseUrl + "/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
        await Shot(page, "01-sign-in");
        await page.GetByLabel("Логин / Login").FillAsync("engineer");
        await page.GetByLabel("Пароль / Password").FillAsync("demo-engineer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Войти / Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Очередь заявок");
        var urgent = await WithDbAsync(db => db.Tickets.Where(t => t.ResponseDeadline != null && t.FirstRespondedAt == null)
            .OrderBy(t => t.ResponseDeadline).FirstAsync());
        var firstRow = page.Locator("table.queue tbody tr").First;
        await Assertions.Expect(firstRow.Locator("td").First).ToHaveTextAsync(urgent.Number.ToString());
        await Assertions.Expect(firstRow).ToContainTextAsync("рабочего времени");
        await Shot(page, "02-queue");

        await firstRow.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(urgent.Number.ToString());
        var insert = page.Locator("a.insert").First;
        await insert.ClickAsync();
        await Assertions.Expect(page.Locator("#ReplyText")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/kb/article/\\d{6}$"));
        var link = await page.Locator("#ReplyText").InputValueAsync();
        await page.Locator("#ReplyText").FillAsync("Здравствуйте! Инструкция по вашему вопросу: " + link);
        await Shot(page, "03-ticket");
        await page.GetByRole(AriaRole.Button, new() { Name = "Отправить ответ / Send reply" }).ClickAsync();
        await Assertions.Expect(page.Locator("section").Filter(new() { HasText = "EngineerReply" })).ToContainTextAsync("/kb/article/");

        // The most urgent ticket is often already Critical: the engineer lowers it then, otherwise raises it.
        var target = urgent.Criticality == Reglament.Tickets.Criticality.Critical ? Reglament.Tickets.Criticality.Urgent : Reglament.Tickets.Criticality.Critical;
        await page.Locator("#NewCriticality").SelectOptionAsync(new SelectOptionValue { Label = target.ToString() });
        await page.Locator("#criticality-reason").FillAsync("у абонента стоит интернет-магазин");
        await page.GetByRole(AriaRole.Button, new() { Name = "Изменить критичность / Change" }).ClickAsync();
        await Assertions.Expect(page.Locator("table").Last).ToContainTextAsync("у абонента стоит интернет-магазин");
        await Shot(page, "04-ticket-after");

        var after = await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == urgent.Id));
        Assert.Equal(target, after.Criticality);
        Assert.NotEqual(urgent.ResponseDeadline, after.ResponseDeadline);
        Assert.Equal(Tuesday10Msk, after.FirstRespondedAt);
        Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
    }

    private async Task Shot(IPage page, string name)
    {
        var path = Path.Combine(screenshots, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000);
    }

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
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
