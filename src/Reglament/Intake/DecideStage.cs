using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Turns what the rules found into one decision with all its evidence, made once: any R11 reason the rules
/// are sure of (confidence at least <c>Policy:Review:RefusalThreshold</c>) refuses; otherwise an incomplete problem
/// report (R8) needs more information; otherwise a knowledge-base answer the answer stage proposed answers it (R9);
/// otherwise the request is accepted. A reason below the threshold does not refuse: it is proposed for review
/// (<see cref="Decision.ProposedReasons"/>, the review band) and an engineer decides. Replies to a ticket are not decided again (they take the reply chain).</summary>
public sealed class DecideStage(IClock clock, IOptions<RefusalReviewOptions> review) : IIntakeStage
{
    public const string Rules = "rules";

    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var threshold = review.Value.RefusalThreshold;
        var found = context.FoundRefusals().ToList();
        var refused = found.Where(f => f.Confidence >= threshold).Aggregate(RefusalReasons.None, (all, f) => all | f.Reason);
        var proposed = found.Where(f => f.Confidence < threshold).Aggregate(RefusalReasons.None, (all, f) => all | f.Reason);
        foreach (var (reason, confidence) in found.Where(f => f.Confidence < threshold))
        {
            context.Evidence.Add(new Evidence(RefusalReview.Rule, "R11",
                $"refusal {reason.ToClauses()} proposed, not made: confidence {RefusalReview.Number(confidence)} is below the threshold {RefusalReview.Number(threshold)}; "
                + (refused == RefusalReasons.None
                    ? "the request is not refused, an engineer confirms or dismisses the refusal"
                    : "the request is refused for the other reasons only"),
                reason.ToClauses()));
        }
        var outcome = refused != RefusalReasons.None ? DecisionOutcome.Refused
            : context.MissingInformation.Count > 0 ? DecisionOutcome.NeedsMoreInformation
            : context.Answer.Count > 0 ? DecisionOutcome.AnsweredFromKnowledgeBase
            : DecisionOutcome.Accepted;
        context.Decision = new Decision
        {
            Outcome = outcome,
            Reasons = refused,
            ProposedReasons = proposed,
            RefusalConfidence = found.Count == 0 ? null : found.Min(f => f.Confidence),
            Evidence = [.. context.Evidence],
            DecidedAt = clock.GetCurrentInstant(),
            DecidedBy = Rules,
        };
        return Task.CompletedTask;
    }
}
