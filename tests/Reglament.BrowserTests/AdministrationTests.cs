using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NodaTime;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>A supervisor's administration in Debian's chromium: find a subscriber, suspend it with a reason, and the
/// next request from it is refused (R11c); the calendar with its missing-year banner; the quarantine.</summary>
public sealed class AdministrationTests : DeskInBrowser
{
    private const string ApiKey = "demo-key";

    protected override Dictionary<string, string?> Settings => new() { ["Api:Keys:0"] = ApiKey, ["Knowledge:AutoAnswer"] = "false" };

    private async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> FileAsync(string sender, string subject, string body)
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var response = await client.PostAsJsonAsync("/api/requests", new { sender, subject, body }, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Supervisor_SuspendsASubscriberWithAReason_AndItsNextRequestIsRefused()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "supervisor", "demo-supervisor");

        await page.GetByRole(AriaRole.Link, new() { Name = "Абоненты" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Абоненты");
        await Assertions.Expect(page.Locator("table.subscribers tbody tr")).ToHaveCountAsync(4);
        await Shot(page, "admin-01-subscribers");

        await page.GetByLabel("Поиск").FillAsync("ivanov@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Найти" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.subscribers tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "u10002" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Иванов Иван Иванович");

        // Without a reason the browser itself refuses the form; the server refuses it too (integration tests).
        await page.Locator("#new-status").SelectOptionAsync("Suspended");
        await page.Locator("#status-reason").FillAsync("задолженность по счёту 4711");
        await page.GetByRole(AriaRole.Button, new() { Name = "Сменить статус" }).ClickAsync();
        await Assertions.Expect(page.Locator(".status-badge")).ToHaveTextAsync("услуги приостановлены");
        await Assertions.Expect(page.Locator("table.history")).ToContainTextAsync("Active → Suspended");
        await Assertions.Expect(page.Locator("table.history")).ToContainTextAsync("задолженность по счёту 4711");
        await Shot(page, "admin-02-subscriber");

        var (status, body) = await FileAsync("ivanov@example.org", "Не работает VPS",
            "ID клиента 104524. С утра VPS не отвечает: сайт выдаёт ошибку 504 Gateway Timeout, по SSH не подключиться.");
        Assert.Equal(HttpStatusCode.Created, status);
        var number = body.GetProperty("ticket").GetString()!;
        Assert.True(TicketNumber.TryParse(number, out var parsed));
        var ticketId = parsed.Value.Value;
        var decision = await WithDbAsync(db => db.Decisions.AsNoTracking().Where(d => d.TicketId == ticketId).OrderBy(d => d.Id).FirstAsync());
        Assert.Equal(DecisionOutcome.Refused, decision.Outcome);
        Assert.True(decision.Reasons.HasFlag(RefusalReasons.ServicesSuspended));
        Assert.Equal(SubscriberStatus.Suspended, (await WithDbAsync(db => db.Subscribers.SingleAsync(s => s.Login == "u10002"))).Status);

        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(number);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("R11c");
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Supervisor_SeesTheCalendarsMissingYear_AndTheQuarantine()
    {
        // December 2027: the 2027 calendar is provisional, 2028 is not published yet.
        Clock.Reset(Instant.FromUtc(2027, 12, 6, 7, 0));
        var (status, _) = await FileAsync("stranger@example.com", "Не работает VPS", "ID клиента 104524. VPS не отвечает, ошибка 504 на всех сайтах.");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);

        var page = await NewPageAsync();
        await SignInAsync(page, "supervisor", "demo-supervisor");
        await Assertions.Expect(page.Locator(".calendar-warning").Last).ToContainTextAsync("2028");

        await page.GetByRole(AriaRole.Link, new() { Name = "Календарь" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Производственный календарь 2027");
        await Assertions.Expect(page.Locator(".calendar-missing").Last).ToContainTextAsync("Производственного календаря на 2028 нет");
        await Assertions.Expect(page.Locator(".calendar-missing").Last).ToContainTextAsync("reglament calendar import FILE");
        await Assertions.Expect(page.Locator("td[data-date='2027-01-07']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("day-Holiday"));
        await Shot(page, "admin-03-calendar");

        await page.GetByRole(AriaRole.Link, new() { Name = "Карантин" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.quarantine tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("table.quarantine")).ToContainTextAsync("stranger@example.com");
        await Shot(page, "admin-04-quarantine");

        await page.Locator("table.quarantine a").First.ClickAsync();
        await Assertions.Expect(page.Locator("table.headers")).ToContainTextAsync("stranger@example.com");
        await Assertions.Expect(page.Locator("pre.body")).ToContainTextAsync("ID клиента 104524");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Выпустить" })).ToBeVisibleAsync();
        await Shot(page, "admin-05-quarantine-item");
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Supervisor_OpensTheReports_WithItsPlots_AndNoConsoleError()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "supervisor", "demo-supervisor");
        await page.GetByRole(AriaRole.Link, new() { Name = "Отчёты" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Соблюдение сроков ответа");
        // The plots are drawn by the browser from the server's SVG: visible, with bars, under the CSP.
        await Assertions.Expect(page.Locator("svg#report-shares")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg#report-load rect:not([height='0'])").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table#by-criticality tbody tr").First).ToBeVisibleAsync();
        await Shot(page, "admin-06-reports");
        AssertNoScriptErrors();
    }
}
