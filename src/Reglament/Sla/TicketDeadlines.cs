using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>Changes to deadlines after a ticket was opened: a new criticality, a new calendar year, new rules.
/// Each is an event read by the same clock (<see cref="TicketClock"/>), and each moved deadline is audited.</summary>
public sealed class TicketDeadlines(ResponseDeadlines deadlines, TicketClock clock)
{
    private static readonly TicketStatus[] Open = [TicketStatus.New, TicketStatus.Open, TicketStatus.AwaitingSubscriber];

    /// <summary>Tickets re-read per batch by an import or a refresh, so a large desk does not load everything at once.</summary>
    private const int Batch = 500;

    /// <summary>An engineer changes the criticality (R12); the deadline is recomputed from the same start — the
    /// receipt, or where the clock restarted after a request for information or a reopen. The caller saves.</summary>
    public async Task ChangeCriticalityAsync(ReglamentDb db, Ticket ticket, Criticality criticality, string reason, string actor, Instant now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A change of criticality needs a reason.", nameof(reason));
        var before = (ticket.Criticality, ticket.ResponseDeadline);
        ticket.Criticality = criticality;
        var reading = await clock.RecordAsync(db, ticket, SlaEvent.CriticalityChanged(now, criticality, actor, reason.Trim()), now, cancellationToken);
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = actor,
            Action = "criticality.changed",
            Details = $"{before.Criticality} → {criticality}; due {before.ResponseDeadline?.ToString() ?? "none"} → {reading.Due?.ToString() ?? "none"}; reason: {reason.Trim()}",
        });
    }

    /// <summary>Imports a calendar year: stores it, switches the deadlines to it, and re-reads every ticket the year
    /// can touch from its stored events. Returns how many deadlines moved; each gets a calendar event and an audit entry.</summary>
    public async Task<int> ImportAsync(ReglamentDb db, ProductionCalendar imported, int year, string source, Instant now, CancellationToken cancellationToken)
    {
        var json = imported.ToJson(year);
        var provisional = imported.StatusOf(year) == YearStatus.Provisional;
        var record = await db.CalendarYears.FirstOrDefaultAsync(y => y.Year == year, cancellationToken);
        if (record is null)
            db.CalendarYears.Add(new CalendarYearRecord { Year = year, Json = json, Provisional = provisional, Source = source, ImportedAt = now });
        else
            (record.Json, record.Provisional, record.Source, record.ImportedAt) = (json, provisional, source, now);
        // The other nodes load the years again when they see the calendar's version move (Coordination/SharedVersions).
        await using (var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            await db.SaveChangesAsync(cancellationToken);
            await Coordination.SharedVersions.BumpAsync(db, Coordination.SharedVersion.Calendar, cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }

        deadlines.Use(deadlines.Timeline.Calendar.ImportJson(json));
        // A deadline before the year began was reached without looking at the year; paused clocks may run into it later.
        var yearStart = new LocalDate(year, 1, 1).AtStartOfDayInZone(deadlines.Timeline.Schedule.Zone).ToInstant() - Duration.FromDays(1);
        var note = $"calendar year {year} imported from {source}";
        return await RereadAsync(db, db.Tickets.Where(t => t.ResponseDeadline == null || t.ResponseDeadline >= yearStart),
            () => SlaEvent.CalendarChanged(now, note, "calendar-import"), "calendar-import", now, cancellationToken);
    }

    /// <summary>Re-reads the open tickets with the rules as configured now (targets, what counts, the at-risk share),
    /// so the queue's cached deadlines follow a configuration change and rows stored before the clock model. Called when
    /// the watcher starts; a ticket whose reading did not move is not written.</summary>
    public Task<int> RefreshOpenAsync(ReglamentDb db, Instant now, CancellationToken cancellationToken) =>
        RereadAsync(db, db.Tickets.Where(t => Open.Contains(t.Status)), null, "sla", now, cancellationToken);

    private async Task<int> RereadAsync(ReglamentDb db, IQueryable<Ticket> tickets, Func<SlaEvent>? reason, string actor, Instant now, CancellationToken cancellationToken)
    {
        var moved = 0;
        var after = 0L;
        while (true)
        {
            var batch = await tickets.Where(t => t.Id > after).OrderBy(t => t.Id).Take(Batch).Include(t => t.SlaEvents).Include(t => t.KeptDeadlines)
                .AsSplitQuery().ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;
            foreach (var ticket in batch)
            {
                if (await clock.RefreshAsync(db, ticket, reason, actor, now, cancellationToken))
                    moved++;
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }
        return moved;
    }

    /// <summary>Reads the kept deadlines (<see cref="KeptDeadline"/>) of every ticket that has none, or has rows read
    /// with other rules or another schedule (<see cref="TicketClock.Basis"/>), from its events: once after the
    /// migration that added them, and after a change of the configuration. Called when the desk starts, after the
    /// imported calendar years are loaded. Returns how many tickets were read.</summary>
    public async Task<int> KeepAllAsync(ReglamentDb db, Instant now, CancellationToken cancellationToken)
    {
        var basis = clock.Basis;
        var stale = db.Tickets.Where(t => !t.KeptDeadlines.Any() || t.KeptDeadlines.Any(k => k.Basis != basis));
        var read = 0;
        var after = 0L;
        var retried = false;
        while (true)
        {
            var batch = await stale.Where(t => t.Id > after).OrderBy(t => t.Id).Take(Batch).Include(t => t.SlaEvents).Include(t => t.KeptDeadlines)
                .AsSplitQuery().ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;
            foreach (var ticket in batch)
                await clock.KeepAsync(db, ticket, now, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (!retried)
            {
                // Another node starting at the same time kept the same rows first; read the batch again once — what
                // it wrote is now current and drops out of the query.
                db.ChangeTracker.Clear();
                retried = true;
                continue;
            }
            db.ChangeTracker.Clear();
            retried = false;
            read += batch.Count;
            after = batch[^1].Id;
        }
        return read;
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
