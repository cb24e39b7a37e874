using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>Changes to deadlines after a ticket was opened: a new criticality, or a new calendar year.
/// Each change is recorded with its reason.</summary>
public sealed class TicketDeadlines(ResponseDeadlines deadlines, SlaSignal signal)
{
    private static readonly TicketStatus[] Finished = [TicketStatus.Resolved, TicketStatus.Closed];

    /// <summary>An engineer changes the criticality (R12); the deadline is recomputed from the receipt time.</summary>
    public void ChangeCriticality(Ticket ticket, Criticality criticality, string reason, string actor, Instant now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A change of criticality needs a reason.", nameof(reason));
        var before = (ticket.Criticality, ticket.ResponseDeadline);
        ticket.Criticality = criticality;
        var deadline = deadlines.Compute(ticket.ReceivedAt, criticality);
        ticket.ApplyDeadline(deadline, now);
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = actor,
            Action = "criticality.changed",
            Details = $"{before.Criticality} → {criticality}; due {before.ResponseDeadline} → {deadline.Due}; reason: {reason.Trim()}",
        });
        signal.Pulse();
    }

    /// <summary>Imports a calendar year: stores it, switches the deadlines to it, and recomputes the deadlines of the
    /// tickets still waiting for their first response. Returns how many deadlines moved.</summary>
    public async Task<int> ImportAsync(ReglamentDb db, ProductionCalendar imported, int year, string source, Instant now, CancellationToken cancellationToken)
    {
        var json = imported.ToJson(year);
        var provisional = imported.StatusOf(year) == YearStatus.Provisional;
        var record = await db.CalendarYears.FirstOrDefaultAsync(y => y.Year == year, cancellationToken);
        if (record is null)
            db.CalendarYears.Add(new CalendarYearRecord { Year = year, Json = json, Provisional = provisional, Source = source, ImportedAt = now });
        else
            (record.Json, record.Provisional, record.Source, record.ImportedAt) = (json, provisional, source, now);

        deadlines.Use(deadlines.Timeline.Calendar.ImportJson(json));
        var moved = 0;
        var open = await db.Tickets.Where(t => t.FirstRespondedAt == null && !Finished.Contains(t.Status) && t.ResponseDeadline != null).ToListAsync(cancellationToken);
        foreach (var ticket in open)
        {
            var deadline = deadlines.Compute(ticket.ReceivedAt, ticket.Criticality);
            if (deadline.Due == ticket.ResponseDeadline && deadline.Provisional == ticket.DeadlineProvisional)
                continue;
            db.AuditEvents.Add(new AuditEvent
            {
                TicketId = ticket.Id,
                At = now,
                Actor = "calendar-import",
                Action = "deadline.recomputed",
                Details = $"calendar year {year} imported from {source}: due {ticket.ResponseDeadline} → {deadline.Due}{(deadline.Provisional ? " (provisional)" : "")}",
            });
            ticket.ApplyDeadline(deadline, now);
            moved++;
        }
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
        return moved;
    }

    /// <summary>Applies the imported years stored in the database (at start, on every node).</summary>
    public async Task LoadStoredYearsAsync(ReglamentDb db, CancellationToken cancellationToken)
    {
        var stored = await db.CalendarYears.AsNoTracking().OrderBy(y => y.Year).ToListAsync(cancellationToken);
        if (stored.Count == 0)
            return;
        var calendar = ProductionCalendar.Russia;
        foreach (var year in stored)
            calendar = calendar.ImportJson(year.Json);
        deadlines.Use(calendar);
    }
}
