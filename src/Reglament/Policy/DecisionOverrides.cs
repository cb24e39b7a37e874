using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>How an override ended: done with the new decision, or why not.</summary>
public sealed record OverrideResult(Decision? Decision, string? Problem, bool NotFound = false);

/// <summary>R11, R5: an engineer overrides the rules' decision with a comment. The rules' decision stays in the
/// ticket; the override is a new decision by the engineer, and the audit trail records who, when and why.</summary>
public sealed class DecisionOverrides(ReglamentDb db, TicketClock slaClock, IClock clock)
{
    public async Task<OverrideResult> OverrideAsync(TicketNumber number, DecisionOutcome outcome, RefusalReasons reasons, string engineer,
        string comment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(comment))
            return new OverrideResult(null, "An override needs a comment: why the rules' decision is wrong.");
        if (string.IsNullOrWhiteSpace(engineer))
            return new OverrideResult(null, "An override needs the engineer's name.");
        if (outcome == DecisionOutcome.Refused && reasons == RefusalReasons.None)
            return new OverrideResult(null, "A refusal needs at least one reason (R11a–R11d).");
        if (outcome == DecisionOutcome.AnsweredFromKnowledgeBase)
            return new OverrideResult(null, "Answers from the knowledge base are not given by override.");

        var ticket = await db.Tickets.Include(t => t.Decisions).FirstOrDefaultAsync(t => t.Id == number.Value, cancellationToken);
        if (ticket is null)
            return new OverrideResult(null, $"There is no ticket {number}.", NotFound: true);

        var now = clock.GetCurrentInstant();
        var previous = ticket.Decisions.OrderBy(d => d.DecidedAt).ThenBy(d => d.Id).LastOrDefault();
        var previousText = previous is null ? "none" : previous.Reasons == RefusalReasons.None ? previous.Outcome.ToString() : $"{previous.Outcome} ({previous.Reasons.ToClauses()})";
        var decision = new Decision
        {
            Outcome = outcome,
            Reasons = outcome == DecisionOutcome.Refused ? reasons : RefusalReasons.None,
            Evidence = [new Evidence("Override", "R11", $"{engineer} overrode {previousText}", comment)],
            DecidedAt = now,
            DecidedBy = engineer,
            Comment = comment,
        };
        ticket.Decisions.Add(decision);

        var target = outcome switch
        {
            DecisionOutcome.Refused => TicketStatus.Refused,
            DecisionOutcome.NeedsMoreInformation => TicketStatus.AwaitingSubscriber,
            _ => TicketStatus.Open,
        };
        if (ticket.Status != target && TicketLifecycle.CanMove(ticket.Status, target))
            ticket.MoveTo(target);
        // The clock reads the override (Sla/SlaClock): accepted ends a pause and voids automatic responses, refused is
        // a refusal response, needs-information pauses.
        await slaClock.RecordAsync(db, ticket, SlaEvent.DecisionOverridden(now, outcome, engineer), now, cancellationToken);

        // An override is the engineer's look at the ticket: a refusal waiting for review is settled by it.
        var settled = "";
        if (ticket.Review == ReviewState.Pending)
        {
            ticket.Review = outcome == DecisionOutcome.Refused ? ReviewState.Confirmed : ReviewState.Dismissed;
            settled = $"; the proposed refusal is {ticket.Review.ToString().ToLowerInvariant()} by this override";
        }
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = engineer,
            Action = "decision.overridden",
            Details = $"{previousText} → {(decision.Reasons == RefusalReasons.None ? outcome.ToString() : $"{outcome} ({decision.Reasons.ToClauses()})")}; status {ticket.Status}{settled}; comment: {comment}",
        });
        await db.SaveChangesAsync(cancellationToken);
        return new OverrideResult(decision, null);
    }

    /// <summary>"R11a", "r11d" → the flag; unknown clauses are reported back.</summary>
    public static RefusalReasons ParseReasons(IEnumerable<string> clauses, List<string> unknown)
    {
        var reasons = RefusalReasons.None;
        foreach (var clause in clauses)
        {
            reasons |= clause.Trim().ToUpperInvariant() switch
            {
                "R11A" => RefusalReasons.MissingAuthorization,
                "R11B" or "R5" => RefusalReasons.OutOfContract,
                "R11C" => RefusalReasons.ServicesSuspended,
                "R11D" => RefusalReasons.RudeForm,
                _ => Unknown(clause, unknown),
            };
        }
        return reasons;
    }

    private static RefusalReasons Unknown(string clause, List<string> unknown)
    {
        unknown.Add(clause);
        return RefusalReasons.None;
    }
}
