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
            RawSource = request.RawSource,
        };
        db.Quarantine.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        context.Result = new IntakeResult(IntakeOutcome.Quarantined, QuarantineId: item.Id, QuarantineReason: reason, Explanation: explanation);
    }
}
