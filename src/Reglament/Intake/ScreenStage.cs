using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Screening rules the regulation applies before any work, in this order: suspended services (R11c), a
/// contract that has ended (R11b), rude form (R11d), out-of-scope topics (R5 → R11b) and services the contract does not
/// include (R11b). Every rule runs, so a refusal names all its reasons. A rude reply in an existing ticket is not
/// refused: it is flagged to the engineer in the ticket's audit trail.</summary>
public sealed class ScreenStage(IOptions<ScreeningOptions> options, RudenessRule rudeness, ScopeRule scope, IClock clock) : IIntakeStage
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

        switch (subscriber.Status)
        {
            case SubscriberStatus.Active:
                break;
            case SubscriberStatus.Suspended:
                var allowed = options.Value.AllowedWhileSuspended
                    .Select(topic => Regex.Match(text, topic, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                    .FirstOrDefault(m => m.Success);
                if (allowed is not null)
                    context.Evidence.Add(new Evidence("SuspendedServices", "R11c", "services are suspended, but the topic is allowed", allowed.Value));
                else
                    context.Refuse(RefusalReasons.ServicesSuspended, new Evidence("SuspendedServices", "R11c", "the subscriber's services are suspended under the contract"));
                break;
            case SubscriberStatus.Terminated:
                context.Refuse(RefusalReasons.OutOfContract, new Evidence("ContractTerminated", "R11b", "the subscriber's contract has been terminated"));
                break;
        }

        Apply(context, rudeness.Check(text), RefusalReasons.RudeForm);
        Apply(context, scope.CheckTopic(text), RefusalReasons.OutOfContract);
        Apply(context, scope.CheckServices(text, subscriber.Services), RefusalReasons.OutOfContract);
        return Task.CompletedTask;
    }

    private static void Apply(IntakeContext context, RuleVerdict verdict, RefusalReasons reason)
    {
        if (verdict.Triggered)
            context.Refusals |= reason;
        context.Evidence.AddRange(verdict.Evidence);
    }

    private void FlagRudeReply(IntakeContext context)
    {
        if (context.Ticket is not { } ticket)
            return;
        var verdict = rudeness.Check(context.Request.Text);
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
    /// <summary>Topics (regular expressions) a subscriber with suspended services may still write about:
    /// the suspension itself and payment.</summary>
    public List<string> AllowedWhileSuspended { get; set; } = [@"оплат\w*", @"сч[её]т\w*", @"приостанов\w*", @"блокировк\w*", @"payment", @"invoice", @"suspen\w*"];
}
