using Microsoft.Extensions.Options;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Screening rules the regulation applies before any work, in this order: suspended services (R11c), a
/// contract that has ended (R11b), rude form (R11d), out-of-scope topics (R5 → R11b) and services the contract does not
/// include (R11b). Every rule runs, so a refusal names all its reasons. (A rude reply in an existing ticket is
/// flagged, not refused: <see cref="ContinueTicketStage"/>.)</summary>
public sealed class ScreenStage(IOptions<ScreeningOptions> options, RudenessRule rudeness) : IIntakeStage
{
    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.Subscriber is not { } subscriber)
            return Task.CompletedTask;
        var text = context.Request.Text;

        Apply(context, new SuspensionRule(options.Value.AllowedWhileSuspended).Check(subscriber, context.Stems), RefusalReasons.ServicesSuspended);
        Apply(context, rudeness.Check(text, subscriber, context.Request.NewText is null ? null : context.Request.Subject + "\n" + context.Request.Body), RefusalReasons.RudeForm);
        return Task.CompletedTask;
    }

    private static void Apply(IntakeContext context, RuleVerdict verdict, RefusalReasons reason)
    {
        if (verdict.Triggered)
            context.Refuse(reason, verdict.Evidence[^1], verdict.Confidence);
        context.Evidence.AddRange(verdict.Evidence.Take(verdict.Triggered ? verdict.Evidence.Count - 1 : verdict.Evidence.Count));
    }
}
