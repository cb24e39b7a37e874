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
/// the CLI and the benchmark all call <see cref="BuildAsync"/>, so they cannot disagree. The deadlines are counted
/// and ranked in SQL over the kept deadlines (<see cref="KeptDeadline"/>), which the same reading of the events that
/// sets a ticket's cached deadline writes (<see cref="TicketClock"/>), so the report says what the ticket page says
/// without replaying 100,000 tickets' events (docs/performance.md); only a breach is read again from its events, for
/// its explanation (<see cref="SlaClock.Read"/>). A ticket belongs to the period it was received in; each of its
/// deadlines (the first, and a fresh one per reopen) counts in the month it started.</summary>
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

        var inPeriod = db.Tickets.AsNoTracking().Where(t => t.ReceivedAt >= start && t.ReceivedAt < end);
        var kept = from k in db.KeptDeadlines.AsNoTracking() join t in inPeriod on k.TicketId equals t.Id
                   select new { k, Engineer = k.Responder ?? t.Assignee ?? Nobody, Subscriber = t.Subscriber == null ? Nobody : t.Subscriber.Login };
        var tickets = await inPeriod.CountAsync(cancellationToken);

        // Breached: answered late, or unanswered with the deadline passed; the rest unanswered are pending.
        var byMonth = await kept.GroupBy(x => new { x.k.Month, x.k.Criticality })
            .Select(g => new Counts(g.Key.Month, g.Key.Criticality, null, g.Count(), g.Count(x => x.k.Met == true),
                g.Count(x => x.k.Met == false || (x.k.Met == null && x.k.Due <= now))))
            .ToListAsync(cancellationToken);
        var byEngineer = await kept.GroupBy(x => x.Engineer)
            .Select(g => new Counts(0, default, g.Key, g.Count(), g.Count(x => x.k.Met == true), g.Count(x => x.k.Met == false || (x.k.Met == null && x.k.Due <= now))))
            .ToListAsync(cancellationToken);
        var bySubscriber = await kept.GroupBy(x => x.Subscriber)
            .Select(g => new Counts(0, default, g.Key, g.Count(), g.Count(x => x.k.Met == true), g.Count(x => x.k.Met == false || (x.k.Met == null && x.k.Due <= now))))
            .ToListAsync(cancellationToken);
        var monthRanks = await RanksAsync(db, "CAST(k.\"Month\" AS TEXT) || ' ' || k.\"Criticality\"", start, end, cancellationToken);
        var engineerRanks = await RanksAsync(db, $"COALESCE(k.\"Responder\", t.\"Assignee\", '{Nobody}')", start, end, cancellationToken);
        var subscriberRanks = await RanksAsync(db, $"COALESCE(s.\"Login\", '{Nobody}')", start, end, cancellationToken);

        // Ticket facts sit on every row of a ticket; its first row counts them once.
        var first = kept.Where(x => x.k.Cycle == 0);
        var hours = (await first.GroupBy(x => x.k.ReceivedHour).Select(g => new { Hour = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(h => h.Hour, h => h.Count);
        var autoAnswered = await first.CountAsync(x => x.k.KnowledgeAnswered, cancellationToken);
        var reopened = await first.CountAsync(x => x.k.ReopenedAfterKnowledgeAnswer, cancellationToken);

        // The refusal reasons of each ticket's latest decision, counted by the set of reasons in SQL.
        var refusalSets = await db.Decisions.AsNoTracking()
            .Where(d => d.Outcome == DecisionOutcome.Refused && inPeriod.Any(t => t.Id == d.TicketId)
                && !db.Decisions.Any(later => later.TicketId == d.TicketId && later.Id > d.Id))
            .GroupBy(d => d.Reasons).Select(g => new { Reasons = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var refusals = refusalSets
            .SelectMany(set => Enum.GetValues<RefusalReasons>().Where(r => r != RefusalReasons.None && set.Reasons.HasFlag(r)).Select(r => (Reason: r, set.Count)))
            .GroupBy(r => r.Reason).OrderBy(g => g.Key).Select(g => new SlaRefusalCount(g.Key, g.Sum(r => r.Count))).ToList();

        var breaches = await BreachesAsync(db, inPeriod, now, cancellationToken);

        var schedule = deadlines.Timeline.Schedule;
        var load = Enumerable.Range(0, 24)
            .Select(h => new SlaHourLoad(h, hours.GetValueOrDefault(h), h >= schedule.Start.Hour && new LocalTime(h, 0) < schedule.End)).ToList();

        return new SlaReportResult(from, to, zone, now, tickets,
            [.. byMonth.OrderBy(c => c.Month).ThenBy(c => c.Criticality)
                .Select(c => Figures(MonthText(c.Month), c.Criticality.ToString(), c, monthRanks, string.Create(CultureInfo.InvariantCulture, $"{c.Month} {c.Criticality}")))],
            [.. byEngineer.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => Figures(null, c.Key!, c, engineerRanks, c.Key!))],
            [.. bySubscriber.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => Figures(null, c.Key!, c, subscriberRanks, c.Key!))],
            [.. breaches.OrderBy(b => b.Due)],
            refusals, autoAnswered, reopened, load);
    }

    /// <summary>The breaches of the period with the clock's explanation: the tickets with a breached kept deadline,
    /// read again from their events, so the explanation and the working time over are the page's own.</summary>
    private async Task<List<SlaBreach>> BreachesAsync(ReglamentDb db, IQueryable<Ticket> inPeriod, Instant now, CancellationToken cancellationToken)
    {
        var breached = inPeriod.Where(t => t.KeptDeadlines.Any(k => k.Met == false || (k.Met == null && k.Due <= now)));
        var tickets = await breached.Select(t => new { t.Id, t.Assignee }).ToListAsync(cancellationToken);
        var events = (await (from e in db.SlaEvents.AsNoTracking() join t in breached on e.TicketId equals t.Id select e).ToListAsync(cancellationToken))
            .ToLookup(e => e.TicketId);
        var timeline = deadlines.Timeline;
        var breaches = new List<SlaBreach>();
        foreach (var ticket in tickets)
        {
            var reading = SlaClock.Read(events[ticket.Id], rules, timeline, now);
            foreach (var cycle in reading.Cycles)
            {
                if (Classify(cycle, now) != Outcome.Breached)
                    continue;
                // An unanswered deadline is always the last one (a new one opens only after a response), so the
                // reading's working time used is this one's.
                var used = cycle.ResponseTime ?? reading.Used;
                breaches.Add(new SlaBreach(new TicketNumber(ticket.Id), cycle.Criticality, cycle.Start, cycle.Due!.Value, cycle.Response,
                    cycle.Response?.Actor ?? ticket.Assignee ?? Nobody, used - cycle.Target, reading.Steps));
            }
        }
        return breaches;
    }

    /// <summary>The response times at the median's and the 90th percentile's nearest rank in each group (the key
    /// expression over k, the kept deadline; t, its ticket; s, its subscriber), ranked in SQL: the same SQL on both
    /// engines (quoted identifiers, window functions), only the period's bounds are passed as each stores an instant.
    /// Ranks ceil(n/2) and ceil(9n/10) in integers, which equal <see cref="Percentile"/>'s double arithmetic.</summary>
    private static async Task<Dictionary<string, (Duration? Median, Duration? Percentile90)>> RanksAsync(ReglamentDb db, string key, Instant start, Instant end,
        CancellationToken cancellationToken)
    {
        object from = db is SqliteReglamentDb ? start.ToUnixTimeTicks() : start;
        object to = db is SqliteReglamentDb ? end.ToUnixTimeTicks() : end;
        var sql = $$"""
            SELECT r."Key", r."Rank", r."Count", r."Ticks" FROM (
                SELECT {{key}} AS "Key", k."ResponseTicks" AS "Ticks",
                    ROW_NUMBER() OVER (PARTITION BY {{key}} ORDER BY k."ResponseTicks") AS "Rank",
                    COUNT(*) OVER (PARTITION BY {{key}}) AS "Count"
                FROM "KeptDeadlines" k JOIN "Tickets" t ON t."Id" = k."TicketId" LEFT JOIN "Subscribers" s ON s."Id" = t."SubscriberId"
                WHERE t."ReceivedAt" >= {0} AND t."ReceivedAt" < {1} AND k."ResponseTicks" IS NOT NULL) r
            WHERE r."Rank" = (r."Count" + 1) / 2 OR r."Rank" = (9 * r."Count" + 9) / 10
            """;
        var rows = await db.Database.SqlQueryRaw<RankRow>(sql, from, to).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g =>
        {
            var count = g.First().Count;
            Duration? At(long rank) => g.Where(r => r.Rank == rank).Select(r => (Duration?)Duration.FromTicks(r.Ticks)).FirstOrDefault();
            return (At((count + 1) / 2), At((9 * count + 9) / 10));
        }, StringComparer.Ordinal);
    }

    /// <summary>The nearest-rank percentile (the smallest value with at least <paramref name="p"/> of the values at or
    /// below it): always one of the measured response times, so a figure can be traced to a ticket.</summary>
    public static Duration? Percentile(IReadOnlyList<Duration> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static SlaShare Figures(string? month, string key, Counts counts, Dictionary<string, (Duration? Median, Duration? Percentile90)> ranks, string rankKey)
    {
        var (median, p90) = ranks.GetValueOrDefault(rankKey);
        return new SlaShare(month, key, counts.Deadlines, counts.Met, counts.Breached, counts.Deadlines - counts.Met - counts.Breached, median, p90);
    }

    private static Outcome Classify(SlaCycle cycle, Instant now) => cycle switch
    {
        { Response: not null } => cycle.Met ? Outcome.Met : Outcome.Breached,
        { Due: { } due } when now >= due => Outcome.Breached,
        _ => Outcome.Pending,
    };

    private static string MonthText(int month) => string.Create(CultureInfo.InvariantCulture, $"{month / 100:D4}-{month % 100:D2}");

    private enum Outcome
    {
        Met,
        Breached,
        Pending,
    }

    private sealed record Counts(int Month, Criticality Criticality, string? Key, int Deadlines, int Met, int Breached);

    private sealed record RankRow(string Key, long Rank, long Count, long Ticks);
}
