using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>The mail channel's checks before threading. A message already taken from the same IMAP position is a
/// duplicate (a crash came between the commit and the move on the server); otherwise the position is recorded in
/// this same transaction. Mail from Reglament's own addresses and delivery reports (bounces) are quarantined as
/// <see cref="QuarantineReason.Loop"/>: kept for an engineer, never a ticket, never answered.</summary>
public sealed class MailStage(ReglamentDb db, IOptions<MailOptions> options, IOptions<ImapOptions> imap, IClock clock) : IIntakeStage
{
    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Channel != Channel.Email)
            return;
        if (request.MailboxPosition is { } position)
        {
            var seen = await db.ProcessedMailboxMessages.AnyAsync(p => p.Mailbox == position.Mailbox && p.UidValidity == position.UidValidity && p.Uid == position.Uid, cancellationToken);
            if (seen)
            {
                context.Result = new IntakeResult(IntakeOutcome.Duplicate, Explanation: $"{position.Mailbox} UID {position.Uid} (UIDVALIDITY {position.UidValidity}) was already processed.");
                return;
            }
            db.ProcessedMailboxMessages.Add(new ProcessedMailboxMessage { Mailbox = position.Mailbox, UidValidity = position.UidValidity, Uid = position.Uid, At = clock.GetCurrentInstant() });
        }

        if (options.Value.IsOwnAddress(request.Sender) || imap.Value.Mailboxes.Any(m => m.UserName.Equals(request.Sender, StringComparison.OrdinalIgnoreCase)))
        {
            await Quarantine.PutAsync(db, context, QuarantineReason.Loop,
                $"{request.Sender} is Reglament's own address: our own mail came back, it is not a request.", clock.GetCurrentInstant(), cancellationToken);
            return;
        }
        if (request.IsDeliveryReport)
        {
            await Quarantine.PutAsync(db, context, QuarantineReason.Loop,
                $"a delivery status notification ({request.AutomatedBecause}): kept for an engineer, never answered.", clock.GetCurrentInstant(), cancellationToken);
        }
    }
}
