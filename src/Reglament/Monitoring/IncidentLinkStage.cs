using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Monitoring;

/// <summary>After the store: a new request from a subscriber an open monitoring incident affects is about the same
/// outage, most likely. It is linked to the incident (<see cref="Ticket.RelatedIncidentId"/>) with evidence, and
/// otherwise handled as usual: the subscriber is not refused for writing.</summary>
public sealed class IncidentLinkStage(ReglamentDb db, IClock clock) : IIntakeStage
{
    private static readonly TicketStatus[] Finished = [TicketStatus.Resolved, TicketStatus.Closed, TicketStatus.Refused];

    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.Ticket is not { } ticket || context.Subscriber is not { } subscriber || ticket.Channel == Channel.Monitoring)
            return;
        var incident = await db.Set<IncidentSubscriber>()
            .Where(l => l.SubscriberId == subscriber.Id)
            .Join(db.Tickets, l => l.TicketId, t => t.Id, (l, t) => new { t.Id, t.Status, t.Subject, l.Resource })
            .Where(t => !Finished.Contains(t.Status))
            .OrderByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        if (incident is null)
            return;
        var now = clock.GetCurrentInstant();
        var number = new TicketNumber(incident.Id);
        ticket.RelatedIncidentId = incident.Id;
        var evidence = new Evidence("MonitoringIncident", "R2", $"subscriber {subscriber.Login} is affected by open incident {number} ({incident.Resource})", incident.Subject);
        context.Evidence.Add(evidence);
        if (context.Decision is { } decision)
            decision.Evidence = [.. decision.Evidence, evidence];
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = IncidentDesk.Actor, Action = "incident.linked", Details = $"related to incident {number}" });
        db.AuditEvents.Add(new AuditEvent { TicketId = incident.Id, At = now, Actor = IncidentDesk.Actor, Action = "incident.related-request", Details = $"{ticket.Number} from {subscriber.Login}" });
        await db.SaveChangesAsync(cancellationToken);
    }
}
