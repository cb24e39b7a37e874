using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>Where the desk records what happens to a ticket's response clock. Every change goes through
/// <c>RecordAsync</c>: the event is stored with the ticket, the ticket's cached deadline is set from
/// <see cref="SlaClock.Read"/> over all its events, a moved deadline is audited, and the watcher is woken once the
/// change is saved — so no caller writes a deadline, and none forgets the at-risk instant or the pulse. The same
/// reading's cycles are kept for the report (<see cref="KeptDeadline"/>), so the report cannot disagree with the page.</summary>
public sealed class TicketClock(ResponseDeadlines deadlines, SlaRules rules, SlaSignal signal)
{
    public SlaRules Rules => rules;

    /// <summary>What this process's kept deadlines are read with (<see cref="KeptDeadlines.Basis"/>).</summary>
    public string Basis { get; } = KeptDeadlines.Basis(rules, deadlines);

    /// <summary>The reading of a ticket whose <see cref="Ticket.SlaEvents"/> are loaded.</summary>
    public SlaReading Read(Ticket ticket, Instant now) => SlaClock.Read(ticket.SlaEvents, rules, deadlines.Timeline, now);

    /// <summary>Records events on a ticket (new, or tracked by <paramref name="db"/>) and caches the reading; the caller saves.</summary>
    public async Task<SlaReading> RecordAsync(ReglamentDb db, Ticket ticket, IReadOnlyList<SlaEvent> events, Instant now, CancellationToken cancellationToken)
    {
        await LoadAsync(db, ticket, cancellationToken);
        ticket.SlaEvents.AddRange(events);
        return Apply(db, ticket, events.Count > 0 ? events[^1] : null, now);
    }

    public Task<SlaReading> RecordAsync(ReglamentDb db, Ticket ticket, SlaEvent e, Instant now, CancellationToken cancellationToken) =>
        RecordAsync(db, ticket, [e], now, cancellationToken);

    /// <summary>The subscriber wrote in the ticket (received at <paramref name="at"/>). While the clock is paused that is
    /// the information it waited for; after a counted response, a message that brings the ticket back
    /// (<paramref name="reopens"/>: it was waiting for feedback, resolved or closed) is a reopen with a fresh deadline;
    /// anything else is conversation and the clock does not change.</summary>
    public async Task<SlaReading> SubscriberWroteAsync(ReglamentDb db, Ticket ticket, Instant at, string actor, bool reopens, Instant now, CancellationToken cancellationToken)
    {
        await LoadAsync(db, ticket, cancellationToken);
        var reading = Read(ticket, now);
        SlaEvent? e = reading.Paused && reading.Current is not null ? SlaEvent.InformationReceived(at, actor)
            : reopens && reading.Response is not null ? SlaEvent.Reopened(at, actor)
            : null;
        return e is null ? reading : await RecordAsync(db, ticket, e, now, cancellationToken);
    }

    /// <summary>Re-reads a ticket's events (rules or calendar changed) and, when the reading moved, records
    /// <paramref name="reason"/> with it. Returns whether anything moved.</summary>
    public async Task<bool> RefreshAsync(ReglamentDb db, Ticket ticket, Func<SlaEvent>? reason, string actor, Instant now, CancellationToken cancellationToken)
    {
        await LoadAsync(db, ticket, cancellationToken);
        var reading = Read(ticket, now);
        if (reading.Due == ticket.ResponseDeadline && reading.AtRiskAt == ticket.AtRiskAt && reading.Response?.At == ticket.FirstRespondedAt
            && reading.Provisional == ticket.DeadlineProvisional && reading.CalendarVersion == ticket.CalendarVersion)
        {
            // The current deadline stands, but an earlier one (before a reopen) or its response time may have moved
            // with the calendar, and the report counts those too.
            Keep(ticket, reading.Cycles);
            return false;
        }
        var cause = reason?.Invoke();
        if (cause is not null)
            ticket.SlaEvents.Add(cause);
        Apply(db, ticket, cause, now, actor);
        return true;
    }

    /// <summary>Reads the kept deadlines of a stored ticket again from its events (rows missing, or of another
    /// <see cref="Basis"/>); the cached deadline is the watcher's and the queue's business and is left alone. The caller
    /// saves. Returns whether a row changed.</summary>
    public async Task<bool> KeepAsync(ReglamentDb db, Ticket ticket, Instant now, CancellationToken cancellationToken)
    {
        await LoadAsync(db, ticket, cancellationToken);
        return Keep(ticket, SlaClock.ReadFigures(ticket.SlaEvents, rules, deadlines.Timeline, now).Cycles);
    }

    private bool Keep(Ticket ticket, IReadOnlyList<SlaCycle> cycles) =>
        KeptDeadlines.Keep(ticket, KeptDeadlines.Derive(ticket, cycles, deadlines.Timeline.Schedule.Zone, Basis));

    private SlaReading Apply(ReglamentDb db, Ticket ticket, SlaEvent? cause, Instant now, string? actor = null)
    {
        var before = ticket.ResponseDeadline;
        var reading = Read(ticket, now);
        ticket.Apply(reading, now);
        Keep(ticket, reading.Cycles);
        var action = (before, reading.Due) switch
        {
            (null, null) => null,
            (null, _) => "deadline.set",
            (_, null) => "deadline.paused",
            var (b, d) when b != d => "deadline.recomputed",
            _ => null,
        };
        if (action is not null)
        {
            var why = cause;
            ticket.AuditEvents.Add(new AuditEvent
            {
                At = now,
                Actor = actor ?? why?.Actor ?? "sla",
                Action = action,
                Details = $"{why?.Kind.ToString() ?? "rules or configuration changed"}{(why?.Note is { } note ? $" ({note})" : "")}: due {Show(before)} → {Show(reading.Due)}; "
                    + $"{reading.Current?.Criticality}{(reading.Provisional ? ", provisional calendar" : "")}, calendar {reading.CalendarVersion}",
            });
        }
        // Wake the watcher once the change is saved, not before: it reads the database. (Inside a transaction the save
        // precedes the commit; the intake pipeline and the incident desk pulse again after theirs.)
        db.SavedChanges -= OnSaved;
        db.SavedChanges += OnSaved;
        return reading;
    }

    private void OnSaved(object? sender, SavedChangesEventArgs e)
    {
        if (sender is DbContext db)
            db.SavedChanges -= OnSaved;
        signal.Pulse();
    }

    private static string Show(Instant? instant) => instant?.ToString() ?? "none";

    private static async Task LoadAsync(ReglamentDb db, Ticket ticket, CancellationToken cancellationToken)
    {
        // A ticket being created has no stored events; a stored one must be tracked so its events can be loaded.
        if (ticket.Id == 0)
            return;
        var entry = db.Entry(ticket);
        if (entry.State == EntityState.Detached)
            throw new InvalidOperationException($"Ticket {ticket.Number} is not tracked; its clock events cannot be recorded.");
        var events = entry.Collection(t => t.SlaEvents);
        if (!events.IsLoaded)
            await events.LoadAsync(cancellationToken);
        var kept = entry.Collection(t => t.KeptDeadlines);
        if (!kept.IsLoaded)
            await kept.LoadAsync(cancellationToken);
    }
}
