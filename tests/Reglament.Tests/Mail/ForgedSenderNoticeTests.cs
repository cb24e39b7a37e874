using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tests.Policy;
using Reglament.Tickets;

namespace Reglament.Tests.Mail;

/// <summary>Issue #4: mail in an authorized contact's name that fails the sender check (R6) is never answered at its
/// From address; the subscriber's registered address gets one notice an hour at most, and none for automatic mail.</summary>
public sealed class ForgedSenderNoticeTests : IAsyncLifetime
{
    // ООО «Альфа»: registered as alfa@alfa.test, contacts alfa@alfa.test and it@alfa.test.
    private const string Registered = "alfa@alfa.test";
    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync(settings: new() { ["Policy:Authentication:AuthServId"] = "mx.support.test", ["Policy:Authentication:RequireResults"] = "false" });
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(PolicyTable.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static InboundRequest Forged(string messageId, string subject = "Сайт", string? automated = null) =>
        Requests.Email(PolicyTable.A, subject, "Логин u20001. Смените пароль панели на Qwerty123 и пришлите его.", TestDesk.Tuesday10Msk, messageId) with
        {
            AuthenticationResults = ["mx.support.test; spf=fail smtp.mailfrom=alfa.test; dkim=none; dmarc=fail header.from=alfa.test"],
            AutomatedBecause = automated,
        };

    private async Task<IntakeResult> ProcessAsync(InboundRequest request)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, Token);
    }

    private Task<List<OutboxMessage>> OutboxAsync() => desk.WithAsync(db => db.Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync(Token));

    [Fact]
    public async Task ForgedSender_NoticeGoesToTheRegisteredAddressOnly_WithTheFacts()
    {
        var result = await ProcessAsync(Forged("f1@alfa.test", subject: "<script>Срочно</script>"));

        Assert.Equal(DecisionOutcome.Refused, result.Decision);
        var notice = Assert.Single(await OutboxAsync());
        Assert.Equal(OutgoingKind.ForgedSenderNotice, notice.Kind);
        Assert.Equal(Registered, notice.To);
        Assert.True(notice.AutoSubmitted);
        Assert.Null(notice.InReplyTo);
        var number = result.Ticket!.Value;
        Assert.Equal($"{number.SubjectTag} Письмо от вашего имени не принято: <script>Срочно</script>", notice.Subject);
        Assert.Contains("Здравствуйте, ООО «Альфа»!", notice.Body, StringComparison.Ordinal);
        Assert.Contains($"23.04.2024 10:00 (МСК, UTC+03) в службу поддержки пришло письмо от вашего имени с адреса {PolicyTable.A}", notice.Body, StringComparison.Ordinal);
        Assert.Contains($"it is recorded as {number}", notice.Body, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\{[a-z]+\}", notice.Body);

        var message = OutgoingMail.Build(notice, new MailOptions(), desk.Clock.GetCurrentInstant());
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal(Registered, message.To.Mailboxes.Single().Address);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;Срочно&lt;/script&gt;", message.HtmlBody, StringComparison.Ordinal);

        var ticket = await desk.WithAsync(db => db.Tickets.AsNoTracking().Include(t => t.AuditEvents).SingleAsync(t => t.Id == number.Value, Token));
        Assert.Equal(TicketStatus.Refused, ticket.Status);
        Assert.Contains(ticket.AuditEvents, a => a.Action == ForgedSenderNotice.Sent && a.Details!.Contains(Registered, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgedSender_AtMostOneNoticePerHour()
    {
        await ProcessAsync(Forged("f1@alfa.test"));
        desk.Clock.Advance(Duration.FromMinutes(59));
        var second = await ProcessAsync(Forged("f2@alfa.test"));
        Assert.Single(await OutboxAsync());
        var audit = await desk.WithAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(a => a.TicketId == second.Ticket!.Value.Value && a.Action == ForgedSenderNotice.Suppressed, Token));
        Assert.Contains("already had a forged-sender notice", audit.Details ?? "", StringComparison.Ordinal);

        desk.Clock.Advance(Duration.FromMinutes(2));
        await ProcessAsync(Forged("f3@alfa.test"));
        var outbox = await OutboxAsync();
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, o => Assert.Equal(Registered, o.To));
    }

    [Fact]
    public async Task ForgedSender_AutomaticMail_GetsNoNotice()
    {
        var result = await ProcessAsync(Forged("f1@alfa.test", automated: "Auto-Submitted: auto-generated"));

        Assert.Equal(DecisionOutcome.Refused, result.Decision);
        Assert.Empty(await OutboxAsync());
        var audit = await desk.WithAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(a => a.TicketId == result.Ticket!.Value.Value && a.Action == ForgedSenderNotice.Suppressed, Token));
        Assert.Contains("the message is automatic", audit.Details ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticatedSender_GetsTheUsualAcknowledgement_AndNoNotice()
    {
        var request = Forged("ok1@alfa.test") with
        {
            Body = "Логин u20001. С утра сайт выдаёт ошибку 502.",
            AuthenticationResults = ["mx.support.test; spf=pass smtp.mailfrom=alfa.test; dkim=pass header.d=alfa.test; dmarc=pass"],
        };
        await ProcessAsync(request);
        var reply = Assert.Single(await OutboxAsync());
        Assert.NotEqual(OutgoingKind.ForgedSenderNotice, reply.Kind);
        Assert.Equal(PolicyTable.A, reply.To);
    }
}
