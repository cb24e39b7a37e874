using NodaTime;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Turns what the rules found into one decision with all its evidence: any R11 reason refuses; otherwise an
/// incomplete problem report (R8) needs more information; otherwise the request is accepted. Replies to a ticket are
/// not decided again.</summary>
public sealed class DecideStage(IClock clock) : IIntakeStage
{
    public const string Rules = "rules";

    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.IsReply)
            return Task.CompletedTask;
        context.Decision = new Decision
        {
            Outcome = context.Refusals != RefusalReasons.None ? DecisionOutcome.Refused
                : context.MissingInformation.Count > 0 ? DecisionOutcome.NeedsMoreInformation
                : DecisionOutcome.Accepted,
            Reasons = context.Refusals,
            Evidence = [.. context.Evidence],
            DecidedAt = clock.GetCurrentInstant(),
            DecidedBy = Rules,
        };
        return Task.CompletedTask;
    }
}
