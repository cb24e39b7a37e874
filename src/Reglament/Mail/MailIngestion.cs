using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>One e-mail, as bytes, into the desk — the same way for <c>reglament ingest</c> (a Postfix pipe), a
/// directory of .eml files and the IMAP mailbox: oversize and unparseable mail is quarantined whole, the rest goes
/// through the <see cref="IntakePipeline"/>. Either way the outcome is committed before this returns.</summary>
public sealed class MailIngestion(ReglamentDb db, IntakePipeline pipeline, IOptions<MailOptions> options, IClock clock)
{
    /// <summary>Larger messages are quarantined as oversize instead of parsed: a mail server accepts up to its own
    /// limit (Postfix: 10 MB by default), and nothing is lost, the raw bytes are kept.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    public async Task<IntakeResult> IngestAsync(byte[] raw, MailboxPosition? position = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        if (raw.Length > MaxMessageBytes)
            return await QuarantineAsync(raw, position, QuarantineReason.Oversize, $"the message is {raw.Length} bytes; the limit is {MaxMessageBytes}", now, cancellationToken);
        if (!MailParser.TryParse(raw, now, options.Value.MaxAttachmentBytes, out var request, out var problem))
            return await QuarantineAsync(raw, position, QuarantineReason.Unparseable, problem, now, cancellationToken);
        return await pipeline.ProcessAsync(request with { MailboxPosition = position }, cancellationToken);
    }

    /// <summary>Quarantine outside the pipeline, for mail that never became a request; the mailbox position is
    /// recorded in the same save, so the pair is atomic.</summary>
    private async Task<IntakeResult> QuarantineAsync(byte[] raw, MailboxPosition? position, QuarantineReason reason, string explanation, Instant now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        if (position is not null)
        {
            var seen = await db.ProcessedMailboxMessages.AnyAsync(p => p.Mailbox == position.Mailbox && p.UidValidity == position.UidValidity && p.Uid == position.Uid, cancellationToken);
            if (seen)
                return new IntakeResult(IntakeOutcome.Duplicate, Explanation: $"{position.Mailbox} UID {position.Uid} was already processed.");
            db.ProcessedMailboxMessages.Add(new ProcessedMailboxMessage { Mailbox = position.Mailbox, UidValidity = position.UidValidity, Uid = position.Uid, At = now });
        }
        var context = new IntakeContext(new InboundRequest { Channel = Channel.Email, Sender = "", Subject = "", Body = "", ReceivedAt = now, RawSource = raw });
        await Quarantine.PutAsync(db, context, reason, explanation, now, cancellationToken);
        return context.Result!;
    }
}
