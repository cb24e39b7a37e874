using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>Supervisors edit the automatic messages at /admin/templates: the next message uses the edit, a reset
/// brings the default back, a bad placeholder saves nothing, engineers are refused.</summary>
public sealed class TemplateEditorTests : IAsyncLifetime
{
    private const string Page = "/admin/templates/acknowledgement";
    private DemoWebApp web = null!;

    public async ValueTask InitializeAsync() =>
        // No automatic knowledge-base answers: the requests below must be acknowledged.
        web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new() { ["Knowledge:AutoAnswer"] = "false" });

    public ValueTask DisposeAsync() => web.DisposeAsync();

    private WebApplication App => web.App;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Form(string subjectRu, string bodyRu)
    {
        var (subjectEn, bodyEn) = TemplateSet.Default(TemplateKinds.Acknowledgement, ReplyTexts.English);
        return new() { ["SubjectRu"] = subjectRu, ["BodyRu"] = bodyRu, ["SubjectEn"] = subjectEn, ["BodyEn"] = bodyEn };
    }

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    /// <summary>A new accepted request from the demo subscriber Ivanov; its ticket and acknowledgement.</summary>
    private async Task<(Ticket Ticket, OutboxMessage Ack)> FileRequestAsync(string messageId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(Requests.Email("ivanov@example.org", "VPS не отвечает",
            "Логин u10002. С утра VPS 203.0.113.10 не отвечает: ошибка 504 Gateway Timeout, по SSH не подключиться.", TestDesk.Tuesday10Msk, messageId), Token);
        Assert.Equal(DecisionOutcome.Accepted, result.Decision);
        var ticket = await WithDbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == result.Ticket!.Value.Value, Token));
        var ack = await WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.Acknowledgement, Token));
        return (ticket, ack);
    }

    [Fact]
    public async Task Supervisor_EditsTheAcknowledgement_NextRequestUsesIt_ResetBringsTheDefaultBack()
    {
        using var browser = new StaffBrowser(App);
        await browser.SignInAsync("supervisor", "demo-supervisor");
        Assert.Contains("/admin/templates", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        var list = await browser.GetStringAsync("/admin/templates");
        Assert.Contains(Page, list, StringComparison.Ordinal);
        Assert.Contains(">по умолчанию<", list, StringComparison.Ordinal);

        var saved = await browser.SubmitAsync(Page, Page + "?handler=Save",
            Form("Принято в работу: {subject}", "Спасибо! Заявка {ticket} принята, ответим до {deadline}.\nКритичность: {criticality}.\n{notes}"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var editor = await browser.GetStringAsync(Page);
        Assert.Contains("Спасибо! Заявка {ticket} принята", editor, StringComparison.Ordinal);
        Assert.Contains("staff:supervisor", editor, StringComparison.Ordinal);

        var (ticket, ack) = await FileRequestAsync("tpl-1@example.org");
        Assert.Equal($"{ticket.Number.SubjectTag} Принято в работу: VPS не отвечает", ack.Subject);
        Assert.Contains($"Спасибо! Заявка {ticket.Number} принята, ответим до {ReplyTexts.Time(ticket.ResponseDeadline!.Value, ReplyTexts.Moscow)}.", ack.Body, StringComparison.Ordinal);
        Assert.Contains("Критичность: " + ReplyTexts.Criticality(ticket.Criticality, ReplyTexts.Russian) + ".", ack.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Ваша заявка зарегистрирована", ack.Body, StringComparison.Ordinal);
        // English was left as it was: the default.
        Assert.Contains($"Your request has been registered as {ticket.Number}.", ack.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("{", ack.Body, StringComparison.Ordinal);

        var reset = await browser.SubmitAsync(Page, Page + "?handler=Reset", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        var (again, defaultAck) = await FileRequestAsync("tpl-2@example.org");
        Assert.Equal($"{again.Number.SubjectTag} Заявка принята: VPS не отвечает", defaultAck.Subject);
        Assert.Contains($"Ваша заявка зарегистрирована под номером {again.Number}.", defaultAck.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Спасибо!", defaultAck.Body, StringComparison.Ordinal);

        Assert.Equal(0, await WithDbAsync(db => db.MessageTemplates.CountAsync(Token)));
        var history = await WithDbAsync(db => db.MessageTemplateRevisions.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Token));
        Assert.Equal([(MessageTemplateRevision.Saved, "ru"), (MessageTemplateRevision.Reset, "ru")], history.Select(r => (r.Action, r.Culture)));
        Assert.All(history, r => Assert.Equal("staff:supervisor", r.By));
    }

    [Fact]
    public async Task UnknownPlaceholder_IsAnError_AndNothingIsSaved()
    {
        using var browser = new StaffBrowser(App);
        await browser.SignInAsync("supervisor", "demo-supervisor");

        var response = await browser.SubmitAsync(Page, Page + "?handler=Save", Form("Заявка принята: {subject}", "Заявка {ticket}, срок {dedline}."));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Token);
        Assert.Contains("Неизвестная подстановка {dedline}", html, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.MessageTemplates.CountAsync(Token)));
        Assert.Equal(0, await WithDbAsync(db => db.MessageTemplateRevisions.CountAsync(Token)));
        var (ticket, ack) = await FileRequestAsync("tpl-3@example.org");
        Assert.Contains($"Ваша заявка зарегистрирована под номером {ticket.Number}.", ack.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_ShowsTheSampleFacts_InTheTextAndTheEscapedHtmlPart_AndSavesNothing()
    {
        using var browser = new StaffBrowser(App);
        await browser.SignInAsync("supervisor", "demo-supervisor");

        var response = await browser.SubmitAsync(Page, Page + "?handler=Preview",
            Form("Заявка принята: {subject} <script>alert(1)</script>", "Заявка {ticket}, срок {deadline}, критичность {criticality}.\nСсылка: {guide}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Token);
        var deadline = ReplyTexts.Time(TemplateKinds.SampleDeadline, ReplyTexts.Moscow);
        Assert.Equal("17.03.2026 14:30 (МСК, UTC+03)", deadline);
        // Razor writes '+' and line breaks as character references; what the supervisor reads is the decoded text.
        var shown = WebUtility.HtmlDecode(html);
        Assert.Contains($"Заявка RG-000042, срок {deadline}, критичность Urgent (срочная", shown, StringComparison.Ordinal);
        Assert.Contains("[RG-000042] Заявка принята: " + TemplateKinds.SampleSubject, shown, StringComparison.Ordinal);
        Assert.Contains("Your request has been registered as RG-000042.\nCriticality: Urgent", shown, StringComparison.Ordinal);
        // The HTML part sits in a sandboxed frame's srcdoc, escaped twice (once as mail HTML, once as an attribute).
        var frame = Regex.Match(html, "<iframe class=\"mail-preview\" sandbox=\"\" title=\"HTML\" srcdoc=\"([^\"]*)\"");
        Assert.True(frame.Success, "no sandboxed preview frame");
        Assert.Contains("&lt;a href=&quot;http://", frame.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("&amp;lt;script&amp;gt;", frame.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.MessageTemplates.CountAsync(Token)));
    }

    [Fact]
    public async Task Engineer_IsRefused_TheListTheEditorAndASave()
    {
        using var browser = new StaffBrowser(App);
        await browser.SignInAsync("engineer", "demo-engineer");
        Assert.DoesNotContain("/admin/templates", await browser.GetStringAsync("/"), StringComparison.Ordinal);

        foreach (var url in new[] { "/admin/templates", Page })
        {
            var response = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(response.Headers.Location.PathAndQuery)).StatusCode);
        }
        // The form's token from a page the engineer may open (the queue's sign-out form), posted to the editor.
        var post = await browser.SubmitAsync("/", Page + "?handler=Save", Form("x {subject}", "y {ticket}"));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/account/denied", post.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.MessageTemplates.CountAsync(Token)));
    }
}
