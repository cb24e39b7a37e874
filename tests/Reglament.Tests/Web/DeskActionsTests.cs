using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>What an engineer does on a ticket page, through the real forms (antiforgery tokens included).</summary>
public sealed class DeskActionsTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-desk-").FullName;
    private WebApplication app = null!;
    private StaffBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Knowledge:AutoAnswer"] = "false",
        }, new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
        await DemoSeeder.SeedAsync(app.Services, TestContext.Current.CancellationToken);
        await ServeCommand.SeedDemoStaffAsync(app.Services, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        browser = new StaffBrowser(app);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<Ticket> AcceptedTicketAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        return await db.Tickets.AsNoTracking().Where(t => t.FirstRespondedAt == null && t.ResponseDeadline != null)
            .OrderBy(t => t.Id).FirstAsync(TestContext.Current.CancellationToken);
    }

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    private Task<HttpResponseMessage> ActAsync(Ticket ticket, string handler, Dictionary<string, string> fields) =>
        browser.SubmitAsync($"/desk/ticket/{ticket.Number}", $"/desk/ticket/{ticket.Number}?handler={handler}", fields);

    [Fact]
    public async Task Reply_GoesToTheOutboxInTheThread_AndRecordsTheFirstResponse()
    {
        var ticket = await AcceptedTicketAsync();
        var page = await browser.GetStringAsync($"/desk/ticket/{ticket.Number}?insert=000032");
        Assert.Contains("/kb/article/000032</textarea>", page, StringComparison.Ordinal);

        var response = await ActAsync(ticket, "Reply", new() { ["ReplyText"] = "Здравствуйте! Смотрите http://127.0.0.1:5080/kb/article/000032" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var reply = await WithDbAsync(db => db.Outbox.SingleAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.EngineerReply, TestContext.Current.CancellationToken));
        var inbound = await WithDbAsync(db => db.Messages.SingleAsync(m => m.TicketId == ticket.Id && m.Direction == MessageDirection.Inbound, TestContext.Current.CancellationToken));
        Assert.Contains(ticket.Number.SubjectTag, reply.Subject, StringComparison.Ordinal);
        Assert.Equal(inbound.InternetMessageId, reply.InReplyTo);
        Assert.Equal(inbound.Author, reply.To);
        Assert.False(reply.AutoSubmitted);
        var after = await WithDbAsync(db => db.Tickets.Include(t => t.AuditEvents).SingleAsync(t => t.Id == ticket.Id, TestContext.Current.CancellationToken));
        Assert.Equal(TestDesk.Tuesday10Msk, after.FirstRespondedAt);
        Assert.Contains(after.AuditEvents, a => a.Action == "reply.sent" && a.Actor == "engineer");
        // The reply is answered work: the ticket waits for the subscriber («ожидает абонента»).
        Assert.Equal(TicketStatus.AwaitingSubscriber, after.Status);
    }

    [Fact]
    public async Task ChangeCriticality_NeedsAReason_ThenRecomputesTheDeadline()
    {
        var ticket = await AcceptedTicketAsync();
        var target = ticket.Criticality == Criticality.Critical ? Criticality.Low : Criticality.Critical;

        var refused = await ActAsync(ticket, "Criticality", new() { ["NewCriticality"] = ((int)target).ToString(System.Globalization.CultureInfo.InvariantCulture), ["Reason"] = " " });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(ticket.Criticality, (await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == ticket.Id, TestContext.Current.CancellationToken))).Criticality);

        var changed = await ActAsync(ticket, "Criticality", new() { ["NewCriticality"] = target.ToString(), ["Reason"] = "магазин стоит" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var after = await WithDbAsync(db => db.Tickets.Include(t => t.AuditEvents).SingleAsync(t => t.Id == ticket.Id, TestContext.Current.CancellationToken));
        Assert.Equal(target, after.Criticality);
        Assert.NotEqual(ticket.ResponseDeadline, after.ResponseDeadline);
        Assert.Contains(after.AuditEvents, a => a.Action == "criticality.changed" && a.Actor == "engineer" && (a.Details ?? "").Contains("магазин стоит", StringComparison.Ordinal));

        // The thread shows the stored English line in the page's words: criticality in words, the deadlines in the
        // support's time, the reason as the engineer wrote it.
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/desk/ticket/{ticket.Number}"));
        var line = Regex.Match(page, @"data-action=""criticality.changed"">[^<]*</span> — <span class=""event-details"">(?<d>.*?)</span>").Groups["d"].Value;
        Assert.Contains("; срок ", line, StringComparison.Ordinal);
        Assert.Contains("(МСК, UTC+03)", line, StringComparison.Ordinal);
        Assert.Contains("причина: <q>магазин стоит</q>", line, StringComparison.Ordinal);
        Assert.DoesNotContain("due", line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T", line);
        Assert.DoesNotContain(target.ToString(), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoteAssignAndStatus_AreRecorded()
    {
        var ticket = await AcceptedTicketAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ticket, "Note", new() { ["NoteText"] = "позвонить абоненту" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ticket, "Assign", [])).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActAsync(ticket, "Status", new() { ["NewStatus"] = "Resolved", ["Reason"] = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ticket, "Status", new() { ["NewStatus"] = "Resolved", ["Reason"] = "проблема устранена" })).StatusCode);

        var after = await WithDbAsync(db => db.Tickets.Include(t => t.Messages).Include(t => t.AuditEvents).SingleAsync(t => t.Id == ticket.Id, TestContext.Current.CancellationToken));
        Assert.Contains(after.Messages, m => m.Direction == MessageDirection.InternalNote && m.Body == "позвонить абоненту" && m.Author == "engineer");
        Assert.Equal("engineer", after.Assignee);
        Assert.Equal(TicketStatus.Resolved, after.Status);
        Assert.Contains(after.AuditEvents, a => a.Action == "status.changed" && (a.Details ?? "").Contains("проблема устранена", StringComparison.Ordinal));
        Assert.False(await WithDbAsync(db => db.Outbox.AnyAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.EngineerReply, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task OverrideARefusal_NeedsAComment_AndIsAudited()
    {
        var refused = await WithDbAsync(db => db.Tickets.AsNoTracking().FirstAsync(t => t.Status == TicketStatus.Refused, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActAsync(refused, "Override", new() { ["OverrideOutcome"] = "Accepted", ["Reason"] = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(refused, "Override", new() { ["OverrideOutcome"] = "Accepted", ["Reason"] = "оплата поступила" })).StatusCode);
        var after = await WithDbAsync(db => db.Tickets.Include(t => t.Decisions).SingleAsync(t => t.Id == refused.Id, TestContext.Current.CancellationToken));
        Assert.Contains(after.Decisions, d => d.Outcome == DecisionOutcome.Accepted && d.DecidedBy.Contains("engineer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActionWithoutAntiforgeryToken_IsRejected_AndChangesNothing()
    {
        var ticket = await AcceptedTicketAsync();
        var response = await browser.PostAsync($"/desk/ticket/{ticket.Number}?handler=Assign", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == ticket.Id, TestContext.Current.CancellationToken))).Assignee);
    }

    [Fact]
    public async Task UnknownTicket_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/desk/ticket/RG-999999")).StatusCode);
    }
}
