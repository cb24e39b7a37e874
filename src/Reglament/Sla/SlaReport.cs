using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>Figures of one group of response deadlines: how many, how many met, breached and still running, and the
/// response times (working time, pauses excluded) of the answered ones.</summary>
public sealed record SlaShare(string? Month, string Key, int Deadlines, int Met, int Breached, int Pending, Duration? Median, Duration? Percentile90)
{
    /// <summary>Met among the decided (met or breached); a deadline still running is not yet a promise kept or broken.</summary>
    public double? Share => Met + Breached == 0 ? null : (double)Met / (Met + Breached);
}

/// <summary>A broken promise with the clock's own explanation of it.</summary>
public sealed record SlaBreach(TicketNumber Ticket, Criticality Criticality, Instant Start, Instant Due, SlaResponse? Response, string Engineer,
    Duration Over, IReadOnlyList<SlaStep> Steps);

public sealed record SlaRefusalCount(RefusalReasons Reason, int Tickets);

public sealed record SlaHourLoad(int Hour, int Received, bool Working);

/// <summary>The report of one period [<see cref="From"/>, <see cref="To"/>) in the support's zone.</summary>
public sealed record SlaReportResult(
    LocalDate From,
    LocalDate To,
    DateTimeZone Zone,
    Instant Now,
    int Tickets,
    IReadOnlyList<SlaShare> ByCriticalityMonth,
    IReadOnlyList<SlaShare> ByEngineer,
    IReadOnlyList<SlaShare> BySubscriber,
    IReadOnlyList<SlaBreach> Breaches,
    IReadOnlyList<SlaRefusalCount> Refusals,
    int AutoAnswered,
    int AutoAnswersReopened,
    IReadOnlyList<SlaHourLoad> LoadByHour)
{
    public double? ReopenRate => AutoAnswered == 0 ? null : (double)AutoAnswersReopened / AutoAnswered;
}

/// <summary>The one report over the stored tickets and their clock events (docs/reports.md): the page, the exports,
/// the CLI and the benchmark all call <see cref="BuildAsync"/>, so they cannot disagree. Every deadline is read by
/// <see cref="SlaClock.ReadFigures"/> (a breach's explanation by <see cref="SlaClock.Read"/>) from the events, never
/// from the cached columns, so the report says what the ticket page says. A ticket belongs to the period it was
/// received in; each of its deadlines (the first, and a fresh one per reopen) counts in the month it started.</summary>
public sealed class SlaReport(ResponseDeadlines deadlines, SlaRules rules)
{
    /// <summary>Who the deadline is put down to when nobody answered and nobody was assigned.</summary>
    public const string Nobody = "—";

    public DateTimeZone Zone => deadlines.Timeline.Schedule.Zone;

    public async Task<SlaReportResult> BuildAsync(ReglamentDb db, LocalDate from, LocalDate to, Instant now, CancellationToken cancellationToken)
    {
        if (to <= from)
            throw new ArgumentException($"The period's end {to:uuuu-MM-dd} is not after its start {from:uuuu-MM-dd}.", nameof(to));
        var zone = Zone;
        var start = from.AtStartOfDayInZone(zone).ToInstant();
        var end = to.AtStartOfDayInZone(zone).ToInstant();

        // Three narrow queries instead of Include: decisions carry their evidence as JSON and the report needs none of it.
        var inPeriod = db.Tickets.AsNoTracking().Where(t => t.ReceivedAt >= start && t.ReceivedAt < end);
        var tickets = await inPeriod
            .Select(t => new TicketRow(t.Id, t.ReceivedAt, t.Assignee, t.Subscriber == null ? null : t.Subscriber.Login))
            .ToListAsync(cancellationToken);
        var events = (await (from e in db.SlaEvents.AsNoTracking() join t in inPeriod on e.TicketId equals t.Id select e).ToListAsync(cancellationToken))
            .ToLookup(e => e.TicketId);
        var decisions = (await (from d in db.Decisions.AsNoTracking() join t in inPeriod on d.TicketId equals t.Id
                                select new { d.TicketId, d.Id, d.Outcome, d.Reasons }).ToListAsync(cancellationToken))
            .GroupBy(d => d.TicketId).ToDictionary(g => g.Key, g => g.MaxBy(d => d.Id)!);

        var timeline = deadlines.Timeline;
        var deadlinesRead = new List<Deadline>();
        var breaches = new List<SlaBreach>();
        var hours = new int[24];
        var autoAnswered = 0;
        var reopened = 0;
        foreach (var ticket in tickets)
        {
            hours[ticket.ReceivedAt.InZone(zone).Hour]++;
            var ticketEvents = events[ticket.Id];
            // The figures without the explanation: building it for every ticket was most of the report's time
            // (docs/performance.md); only a breach is explained, below.
            var figures = SlaClock.ReadFigures(ticketEvents, rules, timeline, now);
            IReadOnlyList<SlaStep>? steps = null;
            for (var i = 0; i < figures.Cycles.Count; i++)
            {
                var cycle = figures.Cycles[i];
                var engineer = cycle.Response?.Actor ?? ticket.Assignee ?? Nobody;
                var outcome = Classify(cycle, now);
                deadlinesRead.Add(new Deadline(cycle, engineer, ticket.Subscriber ?? Nobody, outcome));
                if (outcome == Outcome.Breached)
                {
                    // An unanswered deadline is always the last one (a new one opens only after a response), so the
                    // figures' working time used is this one's.
                    var used = cycle.ResponseTime ?? figures.Used;
                    steps ??= SlaClock.Read(ticketEvents, rules, timeline, now).Steps;
                    breaches.Add(new SlaBreach(new TicketNumber(ticket.Id), cycle.Criticality, cycle.Start, cycle.Due!.Value, cycle.Response, engineer,
                        used - cycle.Target, steps));
                }
            }
            var answeredAt = ticketEvents.Where(e => e.Kind == SlaEventKind.Responded && e.Response == ResponseKind.KnowledgeBaseAnswer).Select(e => (Instant?)e.At).Min();
            if (answeredAt is { } answered)
            {
                autoAnswered++;
                if (ticketEvents.Any(e => e.Kind == SlaEventKind.Reopened && e.At >= answered))
                    reopened++;
            }
        }

        var refusals = decisions.Values.Where(d => d.Outcome == DecisionOutcome.Refused)
            .SelectMany(d => Enum.GetValues<RefusalReasons>().Where(r => r != RefusalReasons.None && d.Reasons.HasFlag(r)))
            .GroupBy(r => r).OrderBy(g => g.Key).Select(g => new SlaRefusalCount(g.Key, g.Count())).ToList();
        var schedule = timeline.Schedule;
        var load = Enumerable.Range(0, 24)
            .Select(h => new SlaHourLoad(h, hours[h], h >= schedule.Start.Hour && new LocalTime(h, 0) < schedule.End)).ToList();

        return new SlaReportResult(from, to, zone, now, tickets.Count,
            [.. deadlinesRead.GroupBy(d => (Month: Month(d.Cycle.Start, zone), d.Cycle.Criticality)).OrderBy(g => g.Key.Month, StringComparer.Ordinal).ThenBy(g => g.Key.Criticality)
                .Select(g => Figures(g.Key.Month, g.Key.Criticality.ToString(), g))],
            [.. deadlinesRead.GroupBy(d => d.Engineer).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Figures(null, g.Key, g))],
            [.. deadlinesRead.GroupBy(d => d.Subscriber).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Figures(null, g.Key, g))],
            [.. breaches.OrderBy(b => b.Due)],
            refusals, autoAnswered, reopened, load);
    }

    /// <summary>The nearest-rank percentile (the smallest value with at least <paramref name="p"/> of the values at or
    /// below it): always one of the measured response times, so a figure can be traced to a ticket.</summary>
    public static Duration? Percentile(IReadOnlyList<Duration> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static SlaShare Figures(string? month, string key, IEnumerable<Deadline> group)
    {
        var list = group.ToList();
        var times = list.Where(d => d.Cycle.ResponseTime is not null).Select(d => d.Cycle.ResponseTime!.Value).Order().ToList();
        return new SlaShare(month, key, list.Count, list.Count(d => d.Outcome == Outcome.Met), list.Count(d => d.Outcome == Outcome.Breached),
            list.Count(d => d.Outcome == Outcome.Pending), Percentile(times, 0.5), Percentile(times, 0.9));
    }

    private static Outcome Classify(SlaCycle cycle, Instant now) => cycle switch
    {
        { Response: not null } => cycle.Met ? Outcome.Met : Outcome.Breached,
        { Due: { } due } when now >= due => Outcome.Breached,
        _ => Outcome.Pending,
    };

    private static string Month(Instant at, DateTimeZone zone) => at.InZone(zone).Date.ToString("uuuu-MM", CultureInfo.InvariantCulture);

    private enum Outcome
    {
        Met,
        Breached,
        Pending,
    }

    private sealed record TicketRow(long Id, Instant ReceivedAt, string? Assignee, string? Subscriber);

    private sealed record Deadline(SlaCycle Cycle, string Engineer, string Subscriber, Outcome Outcome);
}
