using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>Canned replies (issue 16): a supervisor writes one at /admin/replies, an engineer inserts it into a ticket's
/// reply box with its placeholders filled and sends it after reading; engineers cannot edit them.</summary>
public sealed class CannedRepliesTests : IAsyncLifetime
{
    private DemoWebApp desk = null!;

    public async ValueTask InitializeAsync() =>
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new Dictionary<string, string?> { ["Knowledge:AutoAnswer"] = "false" });

    public async ValueTask DisposeAsync() => await desk.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    [Fact]
    public async Task ASupervisorsCannedReply_IsInsertedFilled_ReadAndSentByTheEngineer()
    {
        using var supervisor = new StaffBrowser(desk.App);
        await supervisor.SignInAsync("supervisor", "demo-supervisor");
        var saved = await supervisor.SubmitAsync("/admin/replies", "/admin/replies?handler=Save", new Dictionary<string, string>
        {
            ["Title"] = "Перезагрузили сервер",
            ["Body"] = "Здравствуйте, {name}! По заявке {ticket} («{subject}») перезагрузили сервер, проверьте, пожалуйста.\n{engineer}",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var list = WebUtility.HtmlDecode(await supervisor.GetStringAsync("/admin/replies"));
        Assert.Contains("Перезагрузили сервер", list, StringComparison.Ordinal);
        var key = (await WithDbAsync(db => CannedReplies.ListAsync(db, Token))).Single().Key;

        var ticket = await WithDbAsync(db => db.Tickets.AsNoTracking().Include(t => t.Subscriber)
            .Where(t => t.SubscriberId != null && t.Status != TicketStatus.Refused && t.Messages.Any(m => m.Direction == MessageDirection.Inbound))
            .OrderBy(t => t.Id).FirstAsync(Token));
        var page = $"/desk/ticket/{ticket.Number}";
        using var engineer = new StaffBrowser(desk.App);
        await engineer.SignInAsync("engineer", "demo-engineer");
        var inserted = await engineer.SubmitAsync(page, page + "?handler=Canned", new Dictionary<string, string> { ["CannedKey"] = key, ["ReplyText"] = "Добрый день." });
        Assert.Equal(HttpStatusCode.OK, inserted.StatusCode);
        var html = WebUtility.HtmlDecode(await inserted.Content.ReadAsStringAsync(Token));
        var expected = $"Добрый день.\n\nЗдравствуйте, {ticket.Subscriber!.Name}! По заявке {ticket.Number} («{ticket.Subject}») перезагрузили сервер, проверьте, пожалуйста.";
        Assert.Contains(expected, html.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        // Inserting sends nothing: the engineer reads the text first.
        Assert.False(await WithDbAsync(db => db.Outbox.AnyAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.EngineerReply, Token)));

        var sent = await engineer.SubmitAsync(page, page + "?handler=Reply", new Dictionary<string, string> { ["ReplyText"] = expected });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var reply = await WithDbAsync(db => db.Outbox.SingleAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.EngineerReply, Token));
        Assert.Equal(expected, reply.Body);
    }

    [Fact]
    public async Task AnEngineer_CannotEditCannedReplies()
    {
        using var engineer = new StaffBrowser(desk.App);
        await engineer.SignInAsync("engineer", "demo-engineer");
        var page = await engineer.GetAsync("/admin/replies");
        Assert.True(page.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{page.StatusCode}");
        if (page.StatusCode == HttpStatusCode.Redirect)
            Assert.Contains("denied", page.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await WithDbAsync(db => CannedReplies.ListAsync(db, Token)));
    }

    [Fact]
    public async Task ACannedReplyWithoutATitle_IsNotSaved_AndSaysWhy()
    {
        using var supervisor = new StaffBrowser(desk.App);
        await supervisor.SignInAsync("supervisor", "demo-supervisor");
        var response = await supervisor.SubmitAsync("/admin/replies", "/admin/replies?handler=Save", new Dictionary<string, string> { ["Title"] = " ", ["Body"] = "текст" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Название обязательно", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Token)), StringComparison.Ordinal);
        Assert.Empty(await WithDbAsync(db => CannedReplies.ListAsync(db, Token)));
    }
}
