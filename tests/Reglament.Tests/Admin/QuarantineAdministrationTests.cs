using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Admin;

/// <summary>The quarantine pages: what was kept, shown safely, downloaded whole, and released through intake.</summary>
public sealed class QuarantineAdministrationTests : IAsyncLifetime
{
    private const string Mail =
        "From: Пётр Сидоров <sidorov@example.com>\r\nTo: support@reglament.example\r\nSubject: Не работает VPS\r\n" +
        "Message-ID: <q-1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
        "<p>ID клиента 104524. С утра VPS не отвечает: ошибка <b>504 Gateway Timeout</b>, по SSH не подключиться.</p><script>alert('x')</script>\r\n";

    private AdminDesk desk = null!;
    private StaffBrowser supervisor = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await AdminDesk.StartAsync();
        supervisor = await desk.SignInAsync("supervisor");
    }

    public async ValueTask DisposeAsync()
    {
        supervisor.Dispose();
        await desk.DisposeAsync();
    }

    private async Task<IntakeResult> MailAsync(string raw)
    {
        await using var scope = desk.Web.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(Encoding.UTF8.GetBytes(raw), cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task UnknownSendersMail_IsListedAndShownAsPlainText_AndAfterTheSenderIsAddedAsContact_ReleaseMakesATicket()
    {
        var kept = await MailAsync(Mail);
        Assert.Equal((IntakeOutcome.Quarantined, QuarantineReason.UnknownSender), (kept.Outcome, kept.QuarantineReason));
        var id = kept.QuarantineId!.Value;

        var list = await supervisor.GetStringAsync("/admin/quarantine?reason=UnknownSender");
        Assert.Contains("sidorov@example.com", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"/admin/quarantine/{id}\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("sidorov@example.com", await supervisor.GetStringAsync("/admin/quarantine?reason=Loop"), StringComparison.Ordinal);

        var item = await supervisor.GetStringAsync($"/admin/quarantine/{id}");
        Assert.Contains("&lt;q-1@example.com&gt;", item, StringComparison.Ordinal);
        Assert.Contains("504 Gateway Timeout", item, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>504", item, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", item, StringComparison.Ordinal);

        var raw = await supervisor.GetAsync($"/admin/quarantine/{id}?handler=Raw");
        Assert.Equal("message/rfc822", raw.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(Mail), await raw.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        var ivanov = await desk.SubscriberAsync("u10002");
        var page = $"/admin/subscribers/{ivanov.Id}";
        Assert.Equal(HttpStatusCode.Redirect, (await supervisor.SubmitAsync(page, page + "?handler=AddContact", new Dictionary<string, string> { ["contactEmail"] = "sidorov@example.com" })).StatusCode);
        var released = await supervisor.SubmitAsync($"/admin/quarantine/{id}", $"/admin/quarantine/{id}?handler=Release", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);

        var ticket = await desk.WithDbAsync(db => db.Tickets.Include(t => t.Messages).SingleAsync(t => t.Messages.Any(m => m.InternetMessageId == "q-1@example.com"), TestContext.Current.CancellationToken));
        Assert.Equal(ivanov.Id, ticket.SubscriberId);
        var record = await desk.WithDbAsync(db => db.Quarantine.SingleAsync(q => q.Id == id, TestContext.Current.CancellationToken));
        Assert.Equal((TestDesk.Tuesday10Msk, "supervisor"), (record.ReleasedAt, record.ReleasedBy));
        Assert.StartsWith($"ticket {ticket.Number} created", record.ReleaseOutcome, StringComparison.Ordinal);
        Assert.Contains($"ticket {ticket.Number} created", await supervisor.GetStringAsync($"/admin/quarantine/{id}"), StringComparison.Ordinal);
        // Released items leave the default list, and stay when asked for.
        Assert.DoesNotContain($"href=\"/admin/quarantine/{id}\"", await supervisor.GetStringAsync("/admin/quarantine"), StringComparison.Ordinal);
        Assert.Contains($"href=\"/admin/quarantine/{id}\"", await supervisor.GetStringAsync("/admin/quarantine?released=true"), StringComparison.Ordinal);

        var twice = await supervisor.SubmitAsync($"/admin/quarantine/{id}", $"/admin/quarantine/{id}?handler=Release", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Equal(1, await desk.WithDbAsync(db => db.Messages.CountAsync(m => m.InternetMessageId == "q-1@example.com", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AnApiRequestReleasedWhileItsSenderIsStillUnknown_IsQuarantinedAgain_AndTheOldItemIsMarkedReleased()
    {
        var (status, body) = await desk.FileAsync("stranger@example.com", "Не работает VPS", "ID клиента 104524. VPS не отвечает.");
        Assert.Equal((HttpStatusCode)422, status);
        var id = body.GetProperty("quarantineId").GetInt64();
        Assert.Contains("stranger@example.com", await supervisor.GetStringAsync($"/admin/quarantine/{id}"), StringComparison.Ordinal);
        Assert.Equal("application/json", (await supervisor.GetAsync($"/admin/quarantine/{id}?handler=Raw")).Content.Headers.ContentType!.MediaType);

        var released = await supervisor.SubmitAsync($"/admin/quarantine/{id}", $"/admin/quarantine/{id}?handler=Release", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        var items = await desk.WithDbAsync(db => db.Quarantine.AsNoTracking().OrderBy(q => q.Id).ToListAsync(TestContext.Current.CancellationToken));
        var old = items.Single(q => q.Id == id);
        var again = Assert.Single(items, q => q.Id > id);
        Assert.Equal((QuarantineReason.UnknownSender, "stranger@example.com", null), (again.Reason, again.Sender, again.ReleasedAt));
        Assert.Equal(old.RawSource, again.RawSource);
        Assert.NotNull(old.ReleasedAt);
        Assert.StartsWith($"quarantined again as #{again.Id}: UnknownSender", old.ReleaseOutcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizeMail_CannotBeReleased_AndThePageSaysWhy()
    {
        long id;
        await using (var scope = desk.Web.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Reglament.Data.ReglamentDb>();
            var item = new QuarantinedItem { At = TestDesk.Tuesday10Msk, Reason = QuarantineReason.Oversize, Explanation = "too big", Channel = Reglament.Tickets.Channel.Email, RawSource = Encoding.UTF8.GetBytes(Mail) };
            db.Quarantine.Add(item);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            id = item.Id;
        }
        var page = await supervisor.GetStringAsync($"/admin/quarantine/{id}");
        Assert.Contains("Выпустить нельзя:", page, StringComparison.Ordinal);
        var response = await supervisor.SubmitAsync($"/admin/quarantine/{id}", $"/admin/quarantine/{id}?handler=Release", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Null((await desk.WithDbAsync(db => db.Quarantine.SingleAsync(q => q.Id == id, TestContext.Current.CancellationToken))).ReleasedAt);
    }
}
