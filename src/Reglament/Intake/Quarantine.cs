using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;

namespace Reglament.Intake;

public static class Quarantine
{
    /// <summary>Keeps the whole request with its reason and settles the intake as quarantined. The same message
    /// delivered again (its Message-ID, or the hash of its bytes when it has none) while its item waits is a duplicate:
    /// one message, one item.</summary>
    public static async Task PutAsync(ReglamentDb db, IntakeContext context, QuarantineReason reason, string explanation, Instant at, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.InternetMessageId is { } messageId
            && await db.Quarantine.Where(q => q.InternetMessageId == messageId && q.ReleasedAt == null).Select(q => (long?)q.Id).FirstOrDefaultAsync(cancellationToken) is { } waiting)
        {
            context.Result = new IntakeResult(IntakeOutcome.Duplicate, QuarantineId: waiting, QuarantineReason: reason,
                Explanation: $"Message-ID <{messageId}> is already in quarantine as #{waiting}.");
            return;
        }
        var item = new QuarantinedItem
        {
            At = at,
            Reason = reason,
            Explanation = explanation,
            Channel = request.Channel,
            Sender = request.Sender,
            Subject = request.Subject,
            InternetMessageId = request.InternetMessageId,
            // Streamed into the row after the insert (Data/LargeColumns): a whole message never passes through
            // EF Core's parameters. The tracked item keeps this empty value; it is detached below so that no later
            // save in this context compares or writes it.
            RawSource = [],
        };
        db.Quarantine.Add(item);
        if (db.Database.CurrentTransaction is null)
        {
            // Outside the pipeline (mail that never became a request): the row and its source in one transaction,
            // so an item is never left without its message.
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await SaveAsync(db, item, request.RawSource, ct);
                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }
        else
            await SaveAsync(db, item, request.RawSource, cancellationToken);
        context.Result = new IntakeResult(IntakeOutcome.Quarantined, QuarantineId: item.Id, QuarantineReason: reason, Explanation: explanation);
    }

    private static async Task SaveAsync(ReglamentDb db, QuarantinedItem item, byte[] raw, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        using var source = new MemoryStream(raw, writable: false);
        await LargeColumns.SetQuarantinedSourceAsync(db, item.Id, source, cancellationToken);
        db.Entry(item).State = EntityState.Detached;
    }
}
