using Microsoft.Extensions.Options;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>A request screened without keeping anything: decision, reasons (clauses), type, criticality, evidence.</summary>
public sealed record ScreeningOutcome(string Decision, IReadOnlyList<string> Reasons, RequestType? Type, Criticality? Criticality, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Refusal reasons the rules proposed but were not sure enough of: the request was accepted and flagged
    /// for an engineer's review.</summary>
    public IReadOnlyList<string> Proposed { get; init; } = [];

    /// <summary>The lowest confidence among the refused and proposed reasons, when there are any.</summary>
    public double? Confidence { get; init; }

    /// <summary>Each refusal reason the rules found (made or proposed), as its clause, with the rules' confidence.</summary>
    public IReadOnlyDictionary<string, double> Found { get; init; } = new Dictionary<string, double>();

    /// <summary>The articles an automatic answer links, best first (empty unless answered).</summary>
    public IReadOnlyList<string> Articles { get; init; } = [];
}

/// <summary>Runs a request through intake's own judgement chain (<see cref="IntakeChains.Judgement"/>: identify, screen,
/// classify, answer, decide) against the
/// stored subscribers and knowledge base, inside a transaction that is rolled back: nothing is stored (for
/// <c>reglament screen</c>, <c>reglament eval policy</c> and tests). A sender intake would quarantine is reported as
/// the refusal R11a it stands for, still classified.</summary>
public sealed class RequestScreening(ReglamentDb db, IntakePipeline pipeline, ClassifyStage classify, RudenessRule rudeness, IOptions<RefusalReviewOptions> review)
{
    public async Task<ScreeningOutcome> ScreenAsync(InboundRequest request, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var context = new IntakeContext(request);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await pipeline.JudgeAsync(context, cancellationToken))
            {
                // Intake quarantines an unknown sender; judged, it is R11a — and every other reason the text itself
                // establishes is collected too: rudeness, and consulting, which is refused whoever asks (judgement,
                // R5); the subscriber is unknown, so its contract and suspension are not evaluated.
                await classify.RunAsync(context, cancellationToken);
                var rude = rudeness.Check(request.Text);
                if (rude.Triggered)
                    context.Refuse(RefusalReasons.RudeForm, rude.Evidence[0], rude.Confidence);
            }
            await transaction.RollbackAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return ToOutcome(context, review.Value.RefusalThreshold);
    }

    internal static ScreeningOutcome ToOutcome(IntakeContext context, double refusalThreshold)
    {
        if (context.Result is { } settled)
            return new ScreeningOutcome("refused",
                ["R6", "R11a",
                 .. context.Refusals.HasFlag(RefusalReasons.OutOfContract) && context.RefusalConfidence.GetValueOrDefault(RefusalReasons.OutOfContract, 1) >= refusalThreshold ? ["R11b"] : Array.Empty<string>(),
                 .. context.Refusals.HasFlag(RefusalReasons.RudeForm) ? ["R11d"] : Array.Empty<string>()],
                context.Type, context.Criticality, [new Evidence("AuthorizedContact", "R6", settled.Explanation ?? settled.Outcome.ToString()), .. context.Evidence]);
        var decision = context.Decision!;
        var reasons = new List<string>();
        if (decision.Reasons != RefusalReasons.None)
            reasons.AddRange(decision.Reasons.ToClauses().Split(", "));
        if ((decision.Reasons & RefusalReasons.OutOfContract) != 0 && decision.Evidence.Any(e => e.Rule == ScopeRule.TopicRule))
            reasons.Insert(0, "R5");
        if (decision.Evidence.Any(e => e.Rule == SenderAuthenticityRule.Rule && e.Finding.Contains(SenderAuthenticityRule.NotAuthenticated, StringComparison.Ordinal)) && !reasons.Contains("R6"))
            reasons.Insert(0, "R6");
        if (decision.Outcome == DecisionOutcome.NeedsMoreInformation)
            reasons.Add("R8");
        return new ScreeningOutcome(Name(decision.Outcome), reasons, context.Type, context.Criticality, decision.Evidence)
        {
            Proposed = decision.ProposedReasons == RefusalReasons.None ? [] : decision.ProposedReasons.ToClauses().Split(", "),
            Confidence = decision.RefusalConfidence,
            Found = context.RefusalConfidence.ToDictionary(p => p.Key.ToClauses(), p => p.Value),
            Articles = decision.Outcome == DecisionOutcome.AnsweredFromKnowledgeBase ? [.. context.Answer.Select(a => a.Id)] : [],
        };
    }

    public static string Name(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Accepted => "accepted",
        DecisionOutcome.Refused => "refused",
        DecisionOutcome.AnsweredFromKnowledgeBase => "answered",
        DecisionOutcome.NeedsMoreInformation => "needs-info",
    };
}
