using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>An MTA may deliver the same message twice. One message is one ticket, one acknowledgement, one quarantined
/// item — also when it has no Message-ID (its bytes identify it) or could not be read at all.</summary>
public sealed class RedeliveryTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync();
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private async Task<IntakeResult> IngestAsync(byte[] raw)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: Ct);
    }

    private static byte[] Mail(string from) => Encoding.UTF8.GetBytes(
        $"From: {from}\nTo: support@example.ru\nSubject: Не работает сайт\nContent-Type: text/plain; charset=utf-8\n\n{Requests.CompleteIncident}\n"
            .ReplaceLineEndings("\r\n"));

    [Fact]
    public async Task A_message_without_Message_ID_delivered_twice_is_one_ticket_and_one_acknowledgement()
    {
        var raw = Mail("it@romashka.test");

        var first = await IngestAsync(raw);
        var second = await IngestAsync(raw);

        Assert.Equal(IntakeOutcome.TicketCreated, first.Outcome);
        Assert.Equal(IntakeOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.Ticket, second.Ticket);
        Assert.Equal(1, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
        Assert.Equal(1, await desk.WithAsync(db => db.Outbox.CountAsync(Ct)));
    }

    [Fact]
    public async Task Two_different_messages_without_Message_ID_are_two_tickets()
    {
        Assert.Equal(IntakeOutcome.TicketCreated, (await IngestAsync(Mail("it@romashka.test"))).Outcome);
        var other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Mail("it@romashka.test")).Replace("502", "503", StringComparison.Ordinal));
        Assert.Equal(IntakeOutcome.TicketCreated, (await IngestAsync(other)).Outcome);
        Assert.Equal(2, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
    }

    [Fact]
    public async Task A_quarantined_message_delivered_twice_is_one_item()
    {
        var raw = Mail("stranger@elsewhere.test");

        var first = await IngestAsync(raw);
        var second = await IngestAsync(raw);

        Assert.Equal(IntakeOutcome.Quarantined, first.Outcome);
        Assert.Equal(IntakeOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.QuarantineId, second.QuarantineId);
        Assert.Equal(1, await desk.WithAsync(db => db.Quarantine.CountAsync(Ct)));
    }

    [Fact]
    public async Task An_unreadable_message_delivered_twice_is_one_item()
    {
        var raw = Encoding.UTF8.GetBytes("this is not a mail message at all\r\n");

        var first = await IngestAsync(raw);
        var second = await IngestAsync(raw);

        Assert.Equal(QuarantineReason.Unparseable, first.QuarantineReason);
        Assert.Equal(IntakeOutcome.Duplicate, second.Outcome);
        Assert.Equal(1, await desk.WithAsync(db => db.Quarantine.CountAsync(Ct)));
    }
}
