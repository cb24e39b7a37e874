using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>Reglament never answers a machine and never loops; the mail itself is always kept.</summary>
public sealed class LoopProtectionTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync(settings: new() { ["Mail:SupportAddress"] = "support@example.ru", ["Mail:OwnAddresses:0"] = "helpdesk@example.ru" });
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private async Task<IntakeResult> IngestAsync(string raw)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")), cancellationToken: Ct);
    }

    private static string Mail(string headers, string from = "it@romashka.test", string subject = "Не работает сайт", string? id = null) =>
        $"From: {from}\nTo: support@example.ru\nSubject: {subject}\nMessage-ID: <{id ?? Guid.NewGuid().ToString("N")}@romashka.test>\n{headers}" +
        "Content-Type: text/plain; charset=utf-8\n\nЛогин u10001. С 10:00 сайт romashka.test не открывается, ошибка 502, ничего не меняли.\n";

    private Task<int> OutboxCountAsync() => desk.WithAsync(db => db.Outbox.CountAsync(Ct));

    [Theory]
    [InlineData("Auto-Submitted: auto-generated\n")]
    [InlineData("Precedence: bulk\n")]
    [InlineData("Precedence: list\n")]
    [InlineData("Precedence: junk\n")]
    [InlineData("List-Id: <news.romashka.test>\n")]
    [InlineData("X-Auto-Response-Suppress: OOF\n")]
    public async Task AutomatedMail_IsStoredAsATicket_ButNotAnswered(string header)
    {
        var result = await IngestAsync(Mail(header));

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        Assert.Equal(0, await OutboxCountAsync());
        var audit = await desk.WithAsync(db => db.AuditEvents.Where(a => a.Action == AutoReplyGuard.Action).SingleAsync(Ct));
        Assert.Contains(header.Split(':')[0], audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoSubmittedNo_IsAPerson_AndIsAnswered()
    {
        var result = await IngestAsync(Mail("Auto-Submitted: no\n"));

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        Assert.Equal(1, await OutboxCountAsync());
    }

    [Fact]
    public async Task AutomaticReplies_AreRateLimitedPerSender_TheRequestsAreStillStored()
    {
        for (var i = 0; i < 7; i++)
            Assert.Equal(IntakeOutcome.TicketCreated, (await IngestAsync(Mail("", subject: $"Не работает сайт {i}"))).Outcome);

        Assert.Equal(5, await OutboxCountAsync());
        Assert.Equal(7, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
        Assert.Equal(2, await desk.WithAsync(db => db.AuditEvents.CountAsync(a => a.Action == AutoReplyGuard.Action, Ct)));

        // Another sender is not affected, and after the window the same sender is answered again.
        await IngestAsync(Mail("", from: "admin@romashka.test"));
        Assert.Equal(6, await OutboxCountAsync());
        desk.Clock.Advance(Duration.FromMinutes(61));
        await IngestAsync(Mail("", subject: "Снова не работает сайт"));
        Assert.Equal(7, await OutboxCountAsync());
    }

    [Theory]
    [InlineData("support@example.ru")]
    [InlineData("SUPPORT@example.ru")]
    [InlineData("helpdesk@example.ru")]
    public async Task OurOwnMailComingBack_IsQuarantinedAsLoop(string from)
    {
        var result = await IngestAsync(Mail("", from: from));

        Assert.Equal(IntakeOutcome.Quarantined, result.Outcome);
        Assert.Equal(QuarantineReason.Loop, result.QuarantineReason);
        Assert.Equal(0, await OutboxCountAsync());
    }

    [Fact]
    public async Task DeliveryStatusNotification_IsQuarantinedAsLoop_NeverAnswered()
    {
        var dsn = """
            From: Mail Delivery System <MAILER-DAEMON@mail.romashka.test>
            To: support@example.ru
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <dsn-1@mail.romashka.test>
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

            --b1
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered.
            --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.romashka.test

            Final-Recipient: rfc822; gone@romashka.test
            Action: failed
            Status: 5.1.1
            --b1--
            """;

        var result = await IngestAsync(dsn);

        Assert.Equal(QuarantineReason.Loop, result.QuarantineReason);
        Assert.Contains("delivery", result.Explanation, StringComparison.Ordinal);
        Assert.Equal(0, await OutboxCountAsync());
        var kept = await desk.WithAsync(db => db.Quarantine.SingleAsync(Ct));
        Assert.Contains("Final-Recipient", Encoding.UTF8.GetString(kept.RawSource), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAutoResponderReplyingToOurAcknowledgement_LandsInTheTicket_WithoutAnotherReply()
    {
        var first = await IngestAsync(Mail("", id: "start"));
        var ack = await desk.WithAsync(db => db.Outbox.SingleAsync(Ct));

        var autoReply = await IngestAsync(Mail($"In-Reply-To: <{ack.InternetMessageId}>\nAuto-Submitted: auto-replied\n", subject: "Автоответ: " + ack.Subject));

        Assert.Equal(IntakeOutcome.AddedToTicket, autoReply.Outcome);
        Assert.Equal(first.Ticket, autoReply.Ticket);
        Assert.Equal(1, await OutboxCountAsync());
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\n", "Не работает сайт")]
    [InlineData("X-Autoreply: yes\n", "Не работает сайт")]
    [InlineData("X-Autorespond: Re: Не работает сайт\n", "Не работает сайт")]
    [InlineData("Precedence: auto_reply\n", "Не работает сайт")]
    [InlineData("", "Автоответ: Не работает сайт")]
    [InlineData("", "Автоматический ответ: Не работает сайт")]
    [InlineData("", "Out of Office: Не работает сайт")]
    [InlineData("", "Automatic reply: Не работает сайт")]
    [InlineData("", "AutoReply: Не работает сайт")]
    public async Task AVacationReplyThatContinuesNoTicket_IsKeptAside_NeitherATicketNorAnswered(string header, string subject)
    {
        var result = await IngestAsync(Mail(header, subject: subject));

        Assert.Equal((IntakeOutcome.Quarantined, QuarantineReason.Loop), (result.Outcome, result.QuarantineReason));
        Assert.Contains("vacation", result.Explanation, StringComparison.Ordinal);
        Assert.Equal(0, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
        Assert.Equal(0, await OutboxCountAsync());
    }

    [Theory]
    [InlineData("Вне офиса не работает VPN")]
    [InlineData("Re: Out of office сотрудники не могут войти в почту")]
    public async Task APersonsSubjectThatMentionsAnOffice_IsARequest(string subject)
    {
        var result = await IngestAsync(Mail("", subject: subject));

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        Assert.Equal(1, await OutboxCountAsync());
    }

    [Fact]
    public async Task AnOutOfOfficeReplyWithoutAutoSubmitted_ToOurRequestForInformation_NeitherReopensNorStartsTheClock()
    {
        var first = await IngestAsync(Mail("", id: "ooo-start"));
        var number = first.Ticket!.Value;
        await desk.WithAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == number.Value, Ct);
            ticket.MoveTo(Reglament.Tickets.TicketStatus.AwaitingSubscriber);
            return await db.SaveChangesAsync(Ct);
        });
        var ack = await desk.WithAsync(db => db.Outbox.SingleAsync(Ct));

        var vacation = await IngestAsync(Mail($"In-Reply-To: <{ack.InternetMessageId}>\n", subject: "Out of Office: " + ack.Subject));

        Assert.Equal((IntakeOutcome.AddedToTicket, number), (vacation.Outcome, vacation.Ticket!.Value));
        var ticket = await desk.WithAsync(db => db.Tickets.Include(t => t.Messages).Include(t => t.AuditEvents).SingleAsync(t => t.Id == number.Value, Ct));
        Assert.Equal(Reglament.Tickets.TicketStatus.AwaitingSubscriber, ticket.Status);
        Assert.Equal(2, ticket.Messages.Count);
        Assert.Contains(ticket.AuditEvents, a => a.Action == StoreStage.AutomaticReplyAction);
        Assert.Equal(1, await OutboxCountAsync());
    }
}
