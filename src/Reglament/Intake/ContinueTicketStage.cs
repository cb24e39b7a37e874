using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>The reply chain: a message that continues an existing ticket is not judged again. R6 still holds — a
/// reply from anyone but an authorized contact of the ticket's subscriber is quarantined, not added, and so is a
/// reply by mail whose sender the operator's border server did not authenticate; a rude reply
/// (R10) is not refused but flagged to the engineer in the ticket's audit trail; then the reply is stored in its
/// ticket (<see cref="StoreStage.AppendReplyAsync"/>).</summary>
public sealed class ContinueTicketStage(ReglamentDb db, RudenessRule rudeness, SenderAuthenticityRule authenticity, StoreStage store, IClock clock) : IIntakeStage
{
    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var ticket = context.Ticket ?? throw new InvalidOperationException("A reply without the ticket it continues.");
        var sender = AuthorizedContact.Normalize(request.Sender);
        var own = await db.AuthorizedContacts
            .Where(c => c.Email == sender && c.SubscriberId == ticket.SubscriberId)
            .Select(c => c.Subscriber).FirstOrDefaultAsync(cancellationToken);
        // On the portal the contact signed in for one subscriber: a reply in another subscriber's ticket is foreign.
        if (own is null || (request.Channel == Channel.WebPortal && own.Id != request.AuthorizedSubscriberId))
        {
            await Quarantine.PutAsync(db, context, QuarantineReason.ForeignReply,
                $"{request.Sender} is not an authorized contact of the subscriber of ticket {ticket.Number}; the reply was not added.", clock.GetCurrentInstant(), cancellationToken);
            return;
        }
        if (request.Channel == Channel.Email)
        {
            // A forged From can name the ticket's contact as easily as a new request's: the same check (R6). A forged
            // reply is kept aside, not added, so it can neither steer the ticket nor answer an engineer's question.
            var authenticated = authenticity.Check(request.AuthenticationResults);
            if (authenticated.Triggered)
            {
                await Quarantine.PutAsync(db, context, QuarantineReason.NotAuthenticated,
                    $"the reply to ticket {ticket.Number} from {request.Sender} was not added: {string.Join("; ", authenticated.Evidence.Select(e => e.Finding))}.", clock.GetCurrentInstant(), cancellationToken);
                return;
            }
            context.Evidence.AddRange(authenticated.Evidence);
        }
        context.Subscriber = own;
        if (request.VacationBecause is not null)
        {
            // An out-of-office answer to our own mail says nothing about the request: kept in the ticket for the
            // engineer to see, but it neither reopens the ticket nor counts as the information the clock waits for.
            await store.AppendAutomaticAsync(context, cancellationToken);
            return;
        }
        FlagRudeness(context, ticket);
        await store.AppendReplyAsync(context, cancellationToken);
    }

    private void FlagRudeness(IntakeContext context, Ticket ticket)
    {
        var verdict = rudeness.Check(context.Request.Text, context.Subscriber);
        if (!verdict.Triggered)
            return;
        var fragments = string.Join(", ", verdict.Evidence.Select(e => $"«{e.Fragment}»"));
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetCurrentInstant(),
            Actor = DecideStage.Rules,
            Action = "policy.rudeness",
            Details = $"R11d: the reply from {context.Request.Sender} is in a rude form ({fragments}); for the engineer to decide",
        });
        context.Evidence.AddRange(verdict.Evidence);
    }
}
