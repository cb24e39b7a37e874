using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R11c: support is refused while the subscriber's services are suspended under the contract, and after the
/// contract is terminated. A suspended subscriber may still write about the suspension itself — why, the debt, an
/// invoice, a payment, resuming — and such a request is processed as a Question (Low) by a person. Reads only what the
/// subscriber wrote now: an old bounce quoted below that says "suspended" is not the request.</summary>
public sealed class SuspensionRule(IReadOnlyList<string> allowedStems)
{
    public const string Rule = "SuspendedServices";
    public const string AllowedFinding = "services are suspended, but the request is about the suspension itself (allowed topic)";

    public RuleVerdict Check(Subscriber subscriber, IReadOnlyList<string> stems)
    {
        switch (subscriber.Status)
        {
            case SubscriberStatus.Suspended:
                var topic = stems.FirstOrDefault(s => allowedStems.Any(a => s.StartsWith(a, StringComparison.Ordinal) || s.StartsWith("не_" + a, StringComparison.Ordinal)));
                return topic is not null
                    ? RuleVerdict.Passed(new Evidence(Rule, "R11c", AllowedFinding, topic))
                    : RuleVerdict.Found(new Evidence(Rule, "R11c", "the subscriber's services are suspended under the contract"));
            case SubscriberStatus.Terminated:
                return RuleVerdict.Found(new Evidence("ContractTerminated", "R11c", "the subscriber's contract has been terminated"));
            default:
                return RuleVerdict.Pass;
        }
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
