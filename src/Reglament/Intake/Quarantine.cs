using NodaTime;
using Reglament.Data;

namespace Reglament.Intake;

public static class Quarantine
{
    /// <summary>Keeps the whole request with its reason and settles the intake as quarantined.</summary>
    public static async Task PutAsync(ReglamentDb db, IntakeContext context, QuarantineReason reason, string explanation, Instant at, CancellationToken cancellationToken)
    {
        var request = context.Request;
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
