using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>Decides that an automatic reply must not be sent, so that Reglament never talks to a machine and never
/// loops: the incoming mail was itself automatic (RFC 3834 Auto-Submitted, Precedence bulk/list/junk, a mailing
/// list, MAILER-DAEMON), or this address already got <see cref="MailOptions.AutoReplyLimit"/> automatic replies
/// within the window. The request itself is stored as usual; the suppression is written to the ticket's audit trail.</summary>
public sealed class AutoReplyGuard(ReglamentDb db, IOptions<MailOptions> options, IClock clock)
{
    public const string Action = "reply.suppressed";

    /// <summary>True when the automatic reply is to be skipped (and the ticket says why).</summary>
    public async Task<bool> SuppressAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var why = request.AutomatedBecause;
        if (why is null && request.Channel == Channel.Email)
        {
            var mail = options.Value;
            var since = clock.GetCurrentInstant() - Duration.FromTimeSpan(mail.AutoReplyWindow);
            // The address as written and in lower case: both use the (To, CreatedAt) index, where lower(To) would
            // scan the whole outbox for every request.
            var sender = request.Sender;
            var lower = sender.ToLowerInvariant();
            // Portal sign-in links were asked for on a form, not sent in answer to mail: they have their own limit.
            var recent = await db.Outbox.CountAsync(o => (o.To == sender || o.To == lower) && o.AutoSubmitted && o.Kind != OutgoingKind.PortalSignInLink && o.CreatedAt >= since, cancellationToken);
            if (recent >= mail.AutoReplyLimit)
                why = $"{recent} automatic replies to {request.Sender} within {mail.AutoReplyWindow}; the limit is {mail.AutoReplyLimit}";
        }
        if (why is null)
            return false;
        context.Ticket?.AuditEvents.Add(new AuditEvent { At = clock.GetCurrentInstant(), Actor = DecideStage.Rules, Action = Action, Details = $"no automatic reply: {why}" });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
