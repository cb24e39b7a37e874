using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>Working the queue (issue 16): full-text search on the queue page and in the API, assignment to anyone on the
/// staff and unassignment through the ticket page's real forms, and the saved views.</summary>
public sealed partial class WorkingTheQueueTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private DemoWebApp desk = null!;
    private StaffBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new Dictionary<string, string?>
        {
            ["Api:Keys:0"] = Key,
            ["Knowledge:AutoAnswer"] = "false",
            ["Portal:AttemptsPerMinute"] = "100",
            // A search counts up to 5,000 tickets; the demo desk has a few dozen, so the cap is lowered to show what
            // a broad word does.
            ["Queue:SearchCountCap"] = "2",
        });
        browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await desk.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    /// <summary>An open ticket with a subscriber, given an engineer's note with a word no demo ticket has.</summary>
    private async Task<Ticket> TicketWithNoteAsync(string note) => await WithDbAsync(async db =>
    {
        var ticket = await db.Tickets.Include(t => t.Subscriber).Where(t => t.SubscriberId != null && t.Status != TicketStatus.Refused).OrderBy(t => t.Id).FirstAsync(Token);
        ticket.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = TestDesk.Tuesday10Msk, Author = "engineer", Subject = ticket.Subject, Body = note });
        await db.SaveChangesAsync(Token);
        return ticket;
    });

    private static Task<HttpResponseMessage> AssignAsync(StaffBrowser who, Ticket ticket, string? assignTo) =>
        who.SubmitAsync($"/desk/ticket/{ticket.Number}", $"/desk/ticket/{ticket.Number}?handler=Assign",
            assignTo is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["AssignTo"] = assignTo });

    private Task<Ticket> ReadAsync(Ticket ticket) =>
        WithDbAsync(db => db.Tickets.AsNoTracking().Include(t => t.AuditEvents).SingleAsync(t => t.Id == ticket.Id, Token));

    [Fact]
    public async Task QueueSearch_FindsAnotherInflection_AndShowsTheSnippetAndTheSubscribersName()
    {
        var ticket = await TicketWithNoteAsync("После переезда на сайте кракозябры вместо кириллицы");
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/?q=" + Uri.EscapeDataString("кракозябрами")));

        Assert.Contains($"/desk/ticket/{ticket.Number}", page, StringComparison.Ordinal);
        Assert.Contains("<mark>кракозябры</mark>", page, StringComparison.Ordinal);
        Assert.Contains(ticket.Subscriber!.Name, page, StringComparison.Ordinal);
        Assert.Contains("найдено заявок: 1", page, StringComparison.Ordinal);
        // Filters narrow a search: the ticket is not unassigned-and-someone-else's.
        var narrowed = await browser.GetStringAsync("/?q=" + Uri.EscapeDataString("кракозябры") + "&assignee=supervisor");
        Assert.DoesNotContain($"/desk/ticket/{ticket.Number}\"", narrowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiSearch_ReturnsTheTicketWithItsSnippet()
    {
        var ticket = await TicketWithNoteAsync("Абонент прислал скриншоты с кракозябрами");
        using var api = desk.App.GetTestClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var json = JsonDocument.Parse(await api.GetStringAsync("/api/tickets?q=" + Uri.EscapeDataString("кракозябра"), Token));

        var item = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(ticket.Number.ToString(), item.GetProperty("number").GetString());
        Assert.Equal(ticket.Subscriber!.Name, item.GetProperty("subscriberName").GetString());
        Assert.Contains("кракозябрами", item.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        using var none = JsonDocument.Parse(await api.GetStringAsync("/api/tickets?q=" + Uri.EscapeDataString("кракозябра") + "&criticality=Critical&type=Question&status=Closed", Token));
        Assert.Equal(0, none.RootElement.GetProperty("total").GetInt32());
    }

    /// <summary>A word in more tickets than a search counts: the queue says «более» in either language, the API says the
    /// total is capped, and every ticket with the word is still there to page through in the API.</summary>
    [Fact]
    public async Task BroadSearch_SaysMoreThanTheCap_InRussianAndEnglish_AndTheApiPagesPastIt()
    {
        var first = await TicketWithNoteAsync("Сообщили про шушеру в логах");
        var second = await WithDbAsync(async db =>
        {
            var ticket = await db.Tickets.Where(t => t.Id != first.Id && t.SubscriberId != null && t.Status != TicketStatus.Refused).OrderByDescending(t => t.Id).FirstAsync(Token);
            ticket.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = TestDesk.Tuesday10Msk, Author = "engineer", Subject = ticket.Subject, Body = "Та же шушера" });
            var third = await db.Tickets.Where(t => t.Id != first.Id && t.Id != ticket.Id && t.SubscriberId != null && t.Status != TicketStatus.Refused).OrderBy(t => t.Id).FirstAsync(Token);
            third.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = TestDesk.Tuesday10Msk, Author = "engineer", Subject = third.Subject, Body = "Шушеры больше нет" });
            await db.SaveChangesAsync(Token);
            return ticket;
        });

        var russian = WebUtility.HtmlDecode(await browser.GetStringAsync("/?status=all&q=" + Uri.EscapeDataString("шушера")));
        Assert.Contains("найдено более 2 заявок", russian, StringComparison.Ordinal);
        Assert.DoesNotContain("найдено заявок:", russian, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/", "/language", new Dictionary<string, string> { ["lang"] = "en", ["returnUrl"] = "/" })).StatusCode);
        var english = WebUtility.HtmlDecode(await browser.GetStringAsync("/?status=all&q=" + Uri.EscapeDataString("шушера")));
        Assert.Contains("more than 2 tickets found", english, StringComparison.Ordinal);
        // Two words both in fewer tickets than the cap: counted exactly, as before.
        var exact = WebUtility.HtmlDecode(await browser.GetStringAsync("/?status=all&q=" + Uri.EscapeDataString("шушера логи")));
        Assert.Contains("1 tickets found", exact, StringComparison.Ordinal);

        using var api = desk.App.GetTestClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var numbers = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            using var json = JsonDocument.Parse(await api.GetStringAsync($"/api/tickets?pageSize=1&page={page}&q=" + Uri.EscapeDataString("шушерой"), Token));
            Assert.Equal(2, json.RootElement.GetProperty("total").GetInt32());
            Assert.True(json.RootElement.GetProperty("totalCapped").GetBoolean());
            numbers.AddRange(json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!));
        }
        Assert.Equal(3, numbers.Count);
        Assert.Equal(3, numbers.Distinct().Count());
        Assert.Contains(first.Number.ToString(), numbers);
        Assert.Contains(second.Number.ToString(), numbers);
    }

    private async Task<List<Ticket>> OpenTicketsAsync(int count) => await WithDbAsync(db => db.Tickets.AsNoTracking()
        .Where(t => t.SubscriberId != null && (t.Status == TicketStatus.New || t.Status == TicketStatus.Open)).OrderBy(t => t.Id).Take(count).ToListAsync(Token));

    private Task<HttpResponseMessage> BulkAsync(IEnumerable<Ticket> tickets, Dictionary<string, string> fields)
    {
        var form = new List<KeyValuePair<string, string>>(fields);
        form.AddRange(tickets.Select(t => new KeyValuePair<string, string>("Selected", t.Number.ToString())));
        return browser.SubmitFieldsAsync("/?burning=0", "/?handler=Bulk", form);
    }

    [Fact]
    public async Task Bulk_AssignsTheTickedTickets_EachAudited_AndComesBackToTheQueue()
    {
        var tickets = await OpenTicketsAsync(2);
        Assert.Equal(2, tickets.Count);
        var response = await BulkAsync(tickets.Take(1), new() { ["BulkAction"] = "Assign", ["BulkAssignee"] = "supervisor", ["Back"] = "/?assignee=supervisor" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?assignee=supervisor", response.Headers.Location?.ToString());
        var after = await ReadAsync(tickets[0]);
        Assert.Equal("supervisor", after.Assignee);
        Assert.Contains(after.AuditEvents, a => a.Action == Assignments.Assigned && a.Actor == "engineer");
        Assert.Null((await ReadAsync(tickets[1])).Assignee);
        var queue = WebUtility.HtmlDecode(await browser.GetStringAsync("/?assignee=supervisor"));
        Assert.Contains("Изменено заявок: 1.", queue, StringComparison.Ordinal);
        Assert.Contains($"/desk/ticket/{tickets[0].Number}", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_StatusAndCriticality_NeedAReason_AndChangeWhatFits()
    {
        var tickets = await OpenTicketsAsync(2);
        var noReason = await BulkAsync(tickets, new() { ["BulkAction"] = "Criticality", ["BulkCriticality"] = "Critical" });
        Assert.Equal(HttpStatusCode.Redirect, noReason.StatusCode);
        Assert.All(await Task.WhenAll(tickets.Select(ReadAsync)), t => Assert.DoesNotContain(t.AuditEvents, a => a.Action == "criticality.changed"));

        var critical = await BulkAsync(tickets, new() { ["BulkAction"] = "Criticality", ["BulkCriticality"] = "Critical", ["BulkReason"] = "авария в ЦОД" });
        Assert.Equal(HttpStatusCode.Redirect, critical.StatusCode);
        foreach (var ticket in tickets)
        {
            var after = await WithDbAsync(db => db.Tickets.AsNoTracking().Include(t => t.AuditEvents).SingleAsync(t => t.Id == ticket.Id, Token));
            Assert.Equal(Criticality.Critical, after.Criticality);
            Assert.Contains(after.AuditEvents, a => a.Action == "criticality.changed" && (a.Details ?? "").Contains("авария в ЦОД", StringComparison.Ordinal));
        }

        // A move the lifecycle does not allow (back to New) is left as it was and named.
        var refused = await BulkAsync(tickets, new() { ["BulkAction"] = "Status", ["BulkStatus"] = "New", ["BulkReason"] = "ошибка" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var queue = WebUtility.HtmlDecode(await browser.GetStringAsync("/"));
        Assert.Contains($"не изменены (изменение к ним не подходит): {tickets[0].Number}, {tickets[1].Number}", queue, StringComparison.Ordinal);
        var resolved = await BulkAsync(tickets, new() { ["BulkAction"] = "Status", ["BulkStatus"] = "Resolved", ["BulkReason"] = "починили" });
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);
        Assert.All(await Task.WhenAll(tickets.Select(ReadAsync)), t => Assert.Equal(TicketStatus.Resolved, t.Status));
    }

    [Fact]
    public async Task Bulk_WithoutAntiforgeryToken_IsRejected()
    {
        var ticket = (await OpenTicketsAsync(1)).Single();
        var response = await browser.PostAsync("/?handler=Bulk", new Dictionary<string, string> { ["Selected"] = ticket.Number.ToString(), ["BulkAction"] = "Assign", ["BulkAssignee"] = "supervisor" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await ReadAsync(ticket)).Assignee);
    }

    [Fact]
    public async Task Assign_ToAnotherEngineer_ThenToNobody_IsAudited()
    {
        var ticket = await TicketWithNoteAsync("заметка");

        Assert.Equal(HttpStatusCode.Redirect, (await AssignAsync(browser, ticket, "supervisor")).StatusCode);
        var assigned = await ReadAsync(ticket);
        Assert.Equal("supervisor", assigned.Assignee);
        Assert.Contains(assigned.AuditEvents, a => a.Action == Assignments.Assigned && a.Actor == "engineer" && a.Details == "— → supervisor");

        // Taking over a colleague's ticket is allowed; so is putting it back in the queue.
        Assert.Equal(HttpStatusCode.Redirect, (await AssignAsync(browser, ticket, null)).StatusCode);
        Assert.Equal("engineer", (await ReadAsync(ticket)).Assignee);
        Assert.Equal(HttpStatusCode.Redirect, (await AssignAsync(browser, ticket, TicketFilter.Nobody)).StatusCode);
        var unassigned = await ReadAsync(ticket);
        Assert.Null(unassigned.Assignee);
        Assert.Contains(unassigned.AuditEvents, a => a.Action == Assignments.Unassigned && a.Details == "engineer → —");
        Assert.Contains($"/desk/ticket/{ticket.Number}\"", await browser.GetStringAsync("/?assignee=-"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_ToSomeoneNotOnTheStaff_IsRefused()
    {
        var ticket = await TicketWithNoteAsync("заметка");
        var response = await AssignAsync(browser, ticket, "stranger");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("stranger", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Null((await ReadAsync(ticket)).Assignee);
    }

    [Fact]
    public async Task Assign_WithoutAntiforgeryToken_IsRejected()
    {
        var ticket = await TicketWithNoteAsync("заметка");
        var response = await browser.PostAsync($"/desk/ticket/{ticket.Number}?handler=Assign", new Dictionary<string, string> { ["AssignTo"] = "supervisor" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await ReadAsync(ticket)).Assignee);
    }

    /// <summary>A subscriber's contact signed in to the portal may see his own ticket there, but not decide who works
    /// it: the desk's forms are for staff.</summary>
    [Fact]
    public async Task Assign_ByAPortalContact_OfHisOwnTicket_ChangesNothing()
    {
        const string ivanov = "ivanov@example.org";
        var ticket = await WithDbAsync(db => db.Tickets.AsNoTracking().Where(t => t.Subscriber!.Login == "u10002").OrderBy(t => t.Id).FirstAsync(Token));
        using var portal = new StaffBrowser(desk.App);
        Assert.Equal(HttpStatusCode.OK, (await portal.SubmitAsync("/portal/signin", "/portal/signin", new Dictionary<string, string> { ["Email"] = ivanov })).StatusCode);
        var mail = await WithDbAsync(db => db.Outbox.Where(o => o.To == ivanov && o.Kind == OutgoingKind.PortalSignInLink).OrderByDescending(o => o.Id).FirstAsync(Token));
        var link = new Uri(LinkInMail().Match(mail.Body).Value).AbsolutePath;
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SubmitAsync(link, link, new Dictionary<string, string>())).StatusCode);

        // With a valid antiforgery token from a portal page, the desk's handler still does not run.
        var response = await portal.SubmitAsync("/portal", $"/desk/ticket/{ticket.Number}?handler=Assign", new Dictionary<string, string> { ["AssignTo"] = "engineer" });
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/desk/ticket/", StringComparison.Ordinal));
        Assert.Null((await ReadAsync(ticket)).Assignee);
    }

    [Fact]
    public async Task SavedViews_AreLinks_AndBurningIsTheUnansweredAtRiskOrBreached()
    {
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("href=\"/?assignee=engineer\"", queue, StringComparison.Ordinal);
        Assert.Contains("href=\"/?assignee=-\"", queue, StringComparison.Ordinal);
        Assert.Contains("href=\"/?burning=1\"", queue, StringComparison.Ordinal);

        // Two working days later every unanswered deadline of the demo has passed or is close.
        var clock = (FakeClock)desk.App.Services.GetRequiredService<IClock>();
        clock.Advance(Duration.FromDays(2));
        var now = clock.GetCurrentInstant();
        var tickets = await WithDbAsync(db => db.Tickets.AsNoTracking().ToListAsync(Token));
        var burning = tickets.Where(t => Reglament.Web.Pages.IndexModel.OpenStatuses.Contains(t.Status) && t.FirstRespondedAt == null && Reglament.Sla.SlaStates.Evaluate(t, now) is Reglament.Sla.SlaState.AtRisk or Reglament.Sla.SlaState.Breached).ToList();
        Assert.NotEmpty(burning);
        var page = await browser.GetStringAsync("/?burning=1");
        var shown = TicketLink().Matches(page).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(burning.Select(t => t.Number.ToString()).ToHashSet(), shown);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/portal/link/[A-Za-z0-9_-]+")]
    private static partial Regex LinkInMail();

    [GeneratedRegex(@"/desk/ticket/(RG-\d{6})""")]
    private static partial Regex TicketLink();
}
