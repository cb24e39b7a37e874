using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>The review band (R11): how sure the rules must be to refuse by themselves. A reason found with less
/// confidence is proposed to an engineer instead, and the request is accepted meanwhile.</summary>
public sealed class RefusalReviewOptions
{
    public const string Section = "Policy:Review";

    /// <summary>A refusal reason whose confidence (0–1) is at least this refuses automatically; below, it is proposed
    /// for review. 0 switches the band off; a value above 1 (e.g. 1.01) sends every refusal to an engineer.</summary>
    public double RefusalThreshold { get; set; } = 0.8;
}

/// <summary>What an engineer does with a proposed refusal.</summary>
public enum ReviewAction
{
    /// <summary>The refusal stands: a new decision Refused with the proposed reasons, and the refusal is mailed.</summary>
    Confirm,
    /// <summary>The proposal was wrong: the request stays accepted.</summary>
    Dismiss,
}

/// <summary>How a review ended: done (with the engineer's refusal decision, for a confirmation, and the ticket's
/// status after it), or why not.</summary>
public sealed record ReviewResult(bool Done, Decision? Decision, string? Problem, bool NotFound = false, TicketStatus Status = TicketStatus.New);

/// <summary>R11, the review band («на проверку»): a refusal the rules proposed without being sure of it waits on the
/// ticket; an engineer confirms it — a new decision Refused by the engineer, the ticket refused and the refusal mailed
/// as intake would have — or dismisses it, and the request stays accepted. Each is audited and happens once: a second
/// click, or a colleague's at the same moment, gets a problem and changes nothing.</summary>
public sealed class RefusalReview(ReglamentDb db, ReplyStage replies, TicketClock slaClock, IOptions<RefusalReviewOptions> options, IClock clock)
{
    public const string Flagged = "review.flagged";
    public const string Confirmed = "review.confirmed";
    public const string Dismissed = "review.dismissed";
    public const string Rule = "RefusalReview";

    public double Threshold => options.Value.RefusalThreshold;

    public async Task<ReviewResult> ReviewAsync(TicketNumber number, ReviewAction action, string engineer, string? comment, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(engineer))
            return new ReviewResult(false, null, "A review needs the engineer's name.");
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await ReviewOnceAsync(number, action, engineer.Trim(), comment, ct);
            if (result.Done)
                await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    private async Task<ReviewResult> ReviewOnceAsync(TicketNumber number, ReviewAction action, string engineer, string? comment, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.Include(t => t.Decisions).FirstOrDefaultAsync(t => t.Id == number.Value, cancellationToken);
        if (ticket is null)
            return new ReviewResult(false, null, $"There is no ticket {number}.", NotFound: true);
        if (ticket.Review != ReviewState.Pending)
            return new ReviewResult(false, null, ticket.Review switch
            {
                ReviewState.None => $"{number} has no proposed refusal to review.",
                ReviewState.Confirmed => $"The proposed refusal of {number} was already confirmed; nothing was changed.",
                ReviewState.Dismissed => $"The proposed refusal of {number} was already dismissed; nothing was changed.",
                _ => $"{number} is not waiting for review.",
            });
        var proposal = Proposal(ticket.Decisions);
        if (proposal is null)
            return new ReviewResult(false, null, $"{number} is flagged for review but has no proposed refusal.");
        if (action == ReviewAction.Confirm && !TicketLifecycle.CanMove(ticket.Status, TicketStatus.Refused) && ticket.Status != TicketStatus.Refused)
            return new ReviewResult(false, null, $"{number} is {ticket.Status} and cannot be refused now; dismiss the proposal or reopen the ticket first.");

        // The claim: of two engineers clicking at once exactly one moves the ticket out of Pending.
        var target = action == ReviewAction.Confirm ? ReviewState.Confirmed : ReviewState.Dismissed;
        var claimed = await db.Tickets.Where(t => t.Id == ticket.Id && t.Review == ReviewState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Review, target), cancellationToken);
        if (claimed == 0)
            return new ReviewResult(false, null, $"Someone reviewed {number} a moment ago; nothing was changed.");
        ticket.Review = target;

        var now = clock.GetCurrentInstant();
        var proposed = Describe(proposal);
        var said = comment is null ? "" : $"; comment: {comment}";
        if (action == ReviewAction.Dismiss)
        {
            ticket.AuditEvents.Add(new AuditEvent
            {
                At = now, Actor = engineer, Action = Dismissed,
                Details = $"dismissed the proposed refusal {proposed}; the request stays {ticket.Status}{said}",
            });
            await db.SaveChangesAsync(cancellationToken);
            return new ReviewResult(true, null, null, Status: ticket.Status);
        }

        var decision = new Decision
        {
            Outcome = DecisionOutcome.Refused,
            Reasons = proposal.ProposedReasons,
            RefusalConfidence = proposal.RefusalConfidence,
            // The rules' evidence for the reasons goes with the refusal: the reply picks its texts by the rule that found them.
            Evidence = [.. EvidenceFor(proposal), new Evidence(Rule, "R11", $"{engineer} confirmed the refusal the rules proposed ({proposed})", comment)],
            DecidedAt = now,
            DecidedBy = engineer,
            Comment = comment,
        };
        ticket.Decisions.Add(decision);
        var before = ticket.Status;
        if (ticket.Status != TicketStatus.Refused)
            ticket.MoveTo(TicketStatus.Refused);
        // As at intake: a refused ticket keeps its deadline, and the refusal may be the response it measures.
        await slaClock.RecordAsync(db, ticket, SlaEvent.Responded(now, ResponseKind.Refusal, engineer), now, cancellationToken);

        var mailed = await MailRefusalAsync(ticket, decision, cancellationToken);
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = now, Actor = engineer, Action = Confirmed,
            Details = $"confirmed the proposed refusal {proposed}; {before} → {ticket.Status}; {mailed}{said}",
        });
        await db.SaveChangesAsync(cancellationToken);
        return new ReviewResult(true, decision, null, Status: ticket.Status);
    }

    /// <summary>The refusal goes where intake's reply went, in its thread; when intake sent nothing (automatic mail,
    /// the per-sender limit, a monitoring ticket) or the sender was not authenticated (R6), nothing is sent now either.</summary>
    private async Task<string> MailRefusalAsync(Ticket ticket, Decision decision, CancellationToken cancellationToken)
    {
        var first = await db.Outbox.AsNoTracking()
            .Where(o => o.TicketId == ticket.Id && (o.Kind == OutgoingKind.Acknowledgement || o.Kind == OutgoingKind.RequestForInformation))
            .OrderBy(o => o.Id).FirstOrDefaultAsync(cancellationToken);
        if (first is null)
            return "no refusal mailed: intake sent no reply to this request";
        if (ForgedSenderNotice.Applies(decision))
            return $"no refusal mailed to {first.To}: the sender was not authenticated (R6)";
        var refusal = await replies.WriteRefusalAsync(ticket, decision, first, cancellationToken);
        return $"refusal mailed to {refusal.To}";
    }

    /// <summary>The rules' decision that proposed a refusal (the latest, should there be several).</summary>
    public static Decision? Proposal(IEnumerable<Decision> decisions) =>
        decisions.Where(d => d.ProposedReasons != RefusalReasons.None && d.DecidedBy == DecideStage.Rules)
            .OrderBy(d => d.DecidedAt).ThenBy(d => d.Id).LastOrDefault();

    /// <summary>"R11d (confidence 0.55, threshold 0.80)".</summary>
    public static string Describe(Decision proposal) =>
        proposal.RefusalConfidence is { } confidence
            ? $"{proposal.ProposedReasons.ToClauses()} (confidence {Number(confidence)})"
            : proposal.ProposedReasons.ToClauses();

    /// <summary>The evidence that speaks for the proposed reasons: what the rules of their clauses found (R6/R7 for
    /// R11a, R5 for R11b, R10 for R11d), and the decide stage's note why it did not refuse.</summary>
    public static IReadOnlyList<Evidence> EvidenceFor(Decision proposal) =>
        [.. proposal.Evidence.Where(e => e.Rule == Rule || Relates(e.Clause, proposal.ProposedReasons))];

    private static bool Relates(string clause, RefusalReasons reasons) => clause switch
    {
        "R6" or "R7" or "R11a" => reasons.HasFlag(RefusalReasons.MissingAuthorization),
        "R5" or "R11b" => reasons.HasFlag(RefusalReasons.OutOfContract),
        "R11c" => reasons.HasFlag(RefusalReasons.ServicesSuspended),
        "R10" or "R11d" => reasons.HasFlag(RefusalReasons.RudeForm),
        _ => false,
    };

    public static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
