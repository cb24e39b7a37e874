using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>A request screened without keeping anything: decision, reasons (clauses), type, criticality, evidence.</summary>
public sealed record ScreeningOutcome(string Decision, IReadOnlyList<string> Reasons, RequestType? Type, Criticality? Criticality, IReadOnlyList<Evidence> Evidence);

/// <summary>Runs a request through the same stages as intake — identify, screen, classify, decide — against the stored
/// subscribers, inside a transaction that is rolled back: nothing is stored (for <c>reglament screen</c> and tests).</summary>
public sealed class RequestScreening(ReglamentDb db, IdentifyStage identify, ScreenStage screen, ClassifyStage classify, DecideStage decide)
{
    public async Task<ScreeningOutcome> ScreenAsync(InboundRequest request, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var context = new IntakeContext(request);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var stage in new IIntakeStage[] { identify, screen, classify, decide })
            {
                await stage.RunAsync(context, cancellationToken);
                if (context.Result is not null)
                    break;
            }
            await transaction.RollbackAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return ToOutcome(context);
    }

    internal static ScreeningOutcome ToOutcome(IntakeContext context)
    {
        if (context.Result is { } settled)
            return new ScreeningOutcome("refused", ["R6"], null, null, [new Evidence("AuthorizedContact", "R6", settled.Explanation ?? settled.Outcome.ToString())]);
        var decision = context.Decision!;
        var reasons = new List<string>();
        if (decision.Reasons != RefusalReasons.None)
            reasons.AddRange(decision.Reasons.ToClauses().Split(", "));
        if (decision.Evidence.Any(e => e.Rule == ScopeRule.TopicRule))
            reasons.Insert(0, "R5");
        if (decision.Evidence.Any(e => e.Rule == SenderAuthenticityRule.Rule && e.Finding.Contains(SenderAuthenticityRule.NotAuthenticated, StringComparison.Ordinal)) && !reasons.Contains("R6"))
            reasons.Insert(0, "R6");
        if (decision.Outcome == DecisionOutcome.NeedsMoreInformation)
            reasons.Add("R8");
        return new ScreeningOutcome(Name(decision.Outcome), reasons, context.Type, context.Criticality, decision.Evidence);
    }

    public static string Name(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Accepted => "accepted",
        DecisionOutcome.Refused => "refused",
        DecisionOutcome.AnsweredFromKnowledgeBase => "answered",
        DecisionOutcome.NeedsMoreInformation => "needs-info",
    };
}
