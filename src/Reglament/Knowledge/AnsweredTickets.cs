using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Knowledge;

/// <summary>Resolves tickets answered from the knowledge base when the subscriber has not said, within the configured
/// days, that the links did not help (a reply reopens the ticket for an engineer instead).</summary>
public sealed class AnsweredTickets(IServiceScopeFactory scopes, IClock clock, IOptions<KnowledgeOptions> options, Coordination.WorkerLeases leases,
    ILogger<AnsweredTickets> logger) : BackgroundService
{
    /// <summary>One node at a time resolves (<see cref="Coordination.WorkerLeases"/>): two would load the same quiet
    /// tickets and both record their resolution.</summary>
    public const string LeaseName = "quiet-answers";

    public async Task<int> ResolveQuietAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var cutoff = now - Duration.FromDays(options.Value.FeedbackDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var quiet = await db.Tickets
            .Where(t => t.Status == TicketStatus.AwaitingSubscriber
                && t.Decisions.OrderByDescending(d => d.DecidedAt).Select(d => d.Outcome).FirstOrDefault() == DecisionOutcome.AnsweredFromKnowledgeBase
                && t.Decisions.Max(d => d.DecidedAt) <= cutoff
                && !t.Messages.Any(m => m.Direction == MessageDirection.Inbound && m.At > cutoff)
                // An engineer's reply also leaves a ticket waiting for the subscriber; that wait is the engineer's to
                // end, not this knowledge-base timeout's.
                && !db.Outbox.Any(o => o.TicketId == t.Id && o.Kind == Mail.OutgoingKind.EngineerReply))
            .ToListAsync(cancellationToken);
        foreach (var ticket in quiet)
        {
            ticket.MoveTo(TicketStatus.Resolved);
            ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = "knowledge-base", Action = "ticket.resolved", Details = $"answered from the knowledge base; no reply in {options.Value.FeedbackDays} days" });
        }
        await db.SaveChangesAsync(cancellationToken);
        return quiet.Count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leases.RunWhileHeldAsync(LeaseName, ResolveHourlyAsync, stoppingToken);

    private async Task ResolveHourlyAsync(CancellationToken stoppingToken)
    {
        // Days-long windows: an hourly look is exact enough and costs one indexed query.
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await ResolveQuietAsync(stoppingToken);
            }
            catch (Exception e) when (Data.Storage.IsUnavailable(e))
            {
                logger.LogWarning(e, "Resolving answered tickets: storage unavailable; retrying in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
