using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Screening rules the regulation applies before any work, in this order: suspended services (R11c), a
/// contract that has ended (R11b), rude form (R11d), out-of-scope topics (R5 → R11b) and services the contract does not
/// include (R11b). Every rule runs, so a refusal names all its reasons. A rude reply in an existing ticket is not
/// refused: it is flagged to the engineer in the ticket's audit trail.</summary>
public sealed class ScreenStage(IOptions<ScreeningOptions> options, RudenessRule rudeness, IClock clock) : IIntakeStage
{
    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.IsReply)
        {
            FlagRudeReply(context);
            return Task.CompletedTask;
        }
        if (context.Subscriber is not { } subscriber)
            return Task.CompletedTask;
        var text = context.Request.Text;

        var stems = Stems.Of(text);
        Apply(context, new SuspensionRule(options.Value.AllowedWhileSuspended).Check(subscriber, stems), RefusalReasons.ServicesSuspended);
        Apply(context, rudeness.Check(text, subscriber), RefusalReasons.RudeForm);
        return Task.CompletedTask;
    }

    private static void Apply(IntakeContext context, RuleVerdict verdict, RefusalReasons reason)
    {
        if (verdict.Triggered)
            context.Refuse(reason, verdict.Evidence[^1], verdict.Confidence);
        context.Evidence.AddRange(verdict.Evidence.Take(verdict.Triggered ? verdict.Evidence.Count - 1 : verdict.Evidence.Count));
    }

    private void FlagRudeReply(IntakeContext context)
    {
        if (context.Ticket is not { } ticket)
            return;
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

/// <summary>Options of the screening rules.</summary>
public sealed class ScreeningOptions
{
    /// <summary>Word stems (<see cref="Stems"/>: lower case, ё → е, Snowball stems; a stem matches words that start
    /// with it) of the topics a subscriber with suspended services may still write about: the suspension itself, the
    /// debt, invoices, payments, resuming.</summary>
    public List<string> AllowedWhileSuspended { get; set; } =
    [
        "оплат", "оплач", "счет", "долг", "задолж", "приостан", "приостановл", "блокир", "заблок", "разблок", "возобнов", "платеж", "квитанц",
        "баланс", "пополн", "погаш", "перечисл", "invoice", "payment", "pay", "suspend", "unblock", "debt", "balanc",
    ];
}
