using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>One response deadline of a ticket as <see cref="SlaClock"/> read it from the ticket's events, kept so that
/// the report can count and rank deadlines in SQL instead of replaying every ticket's events (docs/performance.md:
/// the two-year report re-read 100,000 tickets' events). Written only by <see cref="KeptDeadlines.Keep"/> from the
/// cycles of the same reading that sets the ticket's cached deadline (<see cref="TicketClock"/>), so the report cannot
/// disagree with the ticket page; none of it depends on the instant it was read at, only on the events, the rules and
/// the calendar — which is why a calendar import and a change of the rules re-read it (<see cref="Basis"/>).</summary>
public sealed class KeptDeadline
{
    public long TicketId { get; set; }

    /// <summary>0 for the deadline from the receipt, then one per reopen (<see cref="SlaReading.Cycles"/>' order).</summary>
    public int Cycle { get; set; }

    public Instant Start { get; set; }

    /// <summary>The support zone's month of <see cref="Start"/> as yyyymm: what the report groups by, which SQL cannot
    /// compute portably from an instant in a zone.</summary>
    public int Month { get; set; }

    /// <summary>The support zone's hour of the ticket's receipt (the same on every row of a ticket), for the load by hour.</summary>
    public int ReceivedHour { get; set; }

    public Criticality Criticality { get; set; }

    public Instant? Due { get; set; }

    public Instant? AtRiskAt { get; set; }

    public Instant? RespondedAt { get; set; }

    public ResponseKind? ResponseKind { get; set; }

    /// <summary>Who gave the response that counts; the report falls back to the ticket's assignee, which can change
    /// without the clock, so it is not kept here.</summary>
    public string? Responder { get; set; }

    /// <summary>Answered in time (true), answered late (false), or unanswered (null: breached or pending depends on now).</summary>
    public bool? Met { get; set; }

    /// <summary>The working time from the start to the response, pauses excluded, in BCL ticks (exact: instants are
    /// kept to the tick); null while unanswered.</summary>
    public long? ResponseTicks { get; set; }

    /// <summary>Ticket facts for the report's automatic-answer figures, on every row of the ticket (the report reads
    /// them from row 0): a knowledge-base answer was given, and the subscriber reopened the ticket after it.</summary>
    public bool KnowledgeAnswered { get; set; }

    public bool ReopenedAfterKnowledgeAnswer { get; set; }

    /// <summary>The rules and working schedule the row was read with (<see cref="KeptDeadlines.Basis"/>); rows of another
    /// basis are read again when the desk starts.</summary>
    public required string Basis { get; set; }

    public const int BasisLength = 16;
}

/// <summary>Derives and keeps a ticket's <see cref="KeptDeadline"/> rows.</summary>
public static class KeptDeadlines
{
    /// <summary>Bump when what the rows hold or how they are derived changes, so every desk re-reads them once.</summary>
    private const int Version = 1;

    /// <summary>A short fingerprint of what a reading depends on besides the events and imported calendar years: the
    /// rules, the schedule and zone, the built-in calendar with the configured presidential days off. Imported years
    /// are not in it: an import re-reads every ticket the year can touch (<see cref="TicketDeadlines.ImportAsync"/>).</summary>
    public static string Basis(SlaRules rules, ResponseDeadlines deadlines)
    {
        var schedule = deadlines.Timeline.Schedule;
        var builtIn = WorkingTime.ProductionCalendar.Russia.WithPresidentialDaysOff(deadlines.Options.PresidentialDaysOff).Version;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Version}|{rules}|{schedule.Start}|{schedule.End}|{schedule.Zone.Id}|{schedule.ShortenPreHolidayDays}|{builtIn}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..KeptDeadline.BasisLength];
    }

    /// <summary>The rows for a ticket's events and the cycles <see cref="SlaClock"/> read from them.</summary>
    public static List<KeptDeadline> Derive(Ticket ticket, IReadOnlyList<SlaCycle> cycles, DateTimeZone zone, string basis)
    {
        var answeredAt = ticket.SlaEvents.Where(e => e.Kind == SlaEventKind.Responded && e.Response == Sla.ResponseKind.KnowledgeBaseAnswer)
            .Select(e => (Instant?)e.At).Min();
        var reopened = answeredAt is { } answered && ticket.SlaEvents.Any(e => e.Kind == SlaEventKind.Reopened && e.At >= answered);
        var hour = ticket.ReceivedAt.InZone(zone).Hour;
        return [.. cycles.Select((c, i) =>
        {
            var start = c.Start.InZone(zone).Date;
            return new KeptDeadline
            {
                TicketId = ticket.Id,
                Cycle = i,
                Start = c.Start,
                Month = start.Year * 100 + start.Month,
                ReceivedHour = hour,
                Criticality = c.Criticality,
                Due = c.Due,
                AtRiskAt = c.AtRiskAt,
                RespondedAt = c.Response?.At,
                ResponseKind = c.Response?.Kind,
                Responder = c.Response?.Actor,
                Met = c.Response is null ? null : c.Met,
                ResponseTicks = c.ResponseTime?.BclCompatibleTicks,
                KnowledgeAnswered = answeredAt is not null,
                ReopenedAfterKnowledgeAnswer = reopened,
                Basis = basis,
            };
        })];
    }

    /// <summary>Makes the ticket's kept rows (loaded and tracked) equal to <paramref name="fresh"/>: rows
    /// updated in place, added or removed. Returns whether anything changed.</summary>
    public static bool Keep(Ticket ticket, List<KeptDeadline> fresh)
    {
        var kept = ticket.KeptDeadlines;
        var changed = kept.Count != fresh.Count;
        // Rows are numbered 0..n-1 by cycle, so the i-th kept row is cycle i; the key is never rewritten.
        kept.Sort((a, b) => a.Cycle.CompareTo(b.Cycle));
        for (var i = 0; i < fresh.Count; i++)
        {
            if (i >= kept.Count)
            {
                kept.Add(fresh[i]);
                continue;
            }
            changed |= Copy(fresh[i], kept[i]);
        }
        if (kept.Count > fresh.Count)
            kept.RemoveRange(fresh.Count, kept.Count - fresh.Count);
        return changed;
    }

    private static bool Copy(KeptDeadline from, KeptDeadline to)
    {
        var same = to.Start == from.Start && to.Month == from.Month && to.ReceivedHour == from.ReceivedHour
            && to.Criticality == from.Criticality && to.Due == from.Due && to.AtRiskAt == from.AtRiskAt && to.RespondedAt == from.RespondedAt
            && to.ResponseKind == from.ResponseKind && to.Responder == from.Responder && to.Met == from.Met && to.ResponseTicks == from.ResponseTicks
            && to.KnowledgeAnswered == from.KnowledgeAnswered && to.ReopenedAfterKnowledgeAnswer == from.ReopenedAfterKnowledgeAnswer && to.Basis == from.Basis;
        if (same)
            return false;
        (to.Start, to.Month, to.ReceivedHour, to.Criticality, to.Due, to.AtRiskAt) =
            (from.Start, from.Month, from.ReceivedHour, from.Criticality, from.Due, from.AtRiskAt);
        (to.RespondedAt, to.ResponseKind, to.Responder, to.Met, to.ResponseTicks) = (from.RespondedAt, from.ResponseKind, from.Responder, from.Met, from.ResponseTicks);
        (to.KnowledgeAnswered, to.ReopenedAfterKnowledgeAnswer, to.Basis) = (from.KnowledgeAnswered, from.ReopenedAfterKnowledgeAnswer, from.Basis);
        return true;
    }
}
