using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Screening rules the regulation applies before any work: suspended services (R11c) and a contract
/// that has ended (R11b). Out-of-scope topics and rude form join this stage with the policy issue.</summary>
public sealed class ScreenStage(IOptions<ScreeningOptions> options) : IIntakeStage
{
    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.IsReply || context.Subscriber is not { } subscriber)
            return Task.CompletedTask;

        switch (subscriber.Status)
        {
            case SubscriberStatus.Active:
                break;
            case SubscriberStatus.Suspended:
                var allowed = options.Value.AllowedWhileSuspended
                    .Select(topic => Regex.Match(context.Request.Text, topic, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
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
        return Task.CompletedTask;
    }
}

/// <summary>Options of the screening rules.</summary>
public sealed class ScreeningOptions
{
    /// <summary>Topics (regular expressions) a subscriber with suspended services may still write about:
    /// the suspension itself and payment.</summary>
    public List<string> AllowedWhileSuspended { get; set; } = [@"оплат\w*", @"сч[её]т\w*", @"приостанов\w*", @"блокировк\w*", @"payment", @"invoice", @"suspen\w*"];
}
