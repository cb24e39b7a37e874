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
/// the CLI and the benchmark all call <see cref="BuildAsync"/>, so they cannot disagree. The deadlines are the kept
/// ones (<see cref="KeptDeadline"/>), which the same reading of the events that sets a ticket's cached deadline writes
/// (<see cref="TicketClock"/>), so the report says what the ticket page says without replaying 100,000 tickets'
/// events (docs/performance.md); only a breach is read again from its events, for its explanation
/// (<see cref="SlaClock.ReadSteps"/>). A ticket belongs to the period it was received in; each of its
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
        var tickets = await inPeriod.CountAsync(cancellationToken);
        // One narrow scan of the period's kept deadlines, each classified in SQL as of now (answered late, or unanswered
        // past its deadline: breached), then grouped here: SQLite scans the rows in about a twentieth of a second, but
        // each GROUP BY or window function over them costs as much again (docs/performance.md), and the report
        // groups them three ways with two ranks each.
        var query = from k in db.KeptDeadlines.AsNoTracking()
                    join t in inPeriod on k.TicketId equals t.Id
                    select new
                    {
                        k.TicketId, k.Cycle, k.Month, k.Criticality, Engineer = k.Responder ?? t.Assignee ?? Nobody, t.SubscriberId,
                        Outcome = k.Met == true ? Outcome.Met : k.Met == false || k.Due <= now ? Outcome.Breached : Outcome.Pending,
                        k.ResponseTicks, k.ReceivedHour, k.KnowledgeAnswered, k.ReopenedAfterKnowledgeAnswer,
                    };
        var rows = await ReadRowsAsync(db, query, cancellationToken);

        // A subscriber's login is read once, not with each of its tickets' rows.
        var subscriberIds = rows.Where(r => r.SubscriberId is not null).Select(r => r.SubscriberId!.Value).Distinct().ToList();
        var logins = await db.Subscribers.AsNoTracking().Where(x => subscriberIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Login, cancellationToken);

        // One pass: ticket facts sit on every row of a ticket, its first row counts them once; each row adds to its
        // month and criticality, its engineer and its subscriber.
        var hours = new int[24];
        var autoAnswered = 0;
        var reopened = 0;
        var byMonth = new Dictionary<(int Month, Criticality Criticality), Tally>();
        var byEngineer = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var bySubscriber = new Dictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Cycle == 0)
            {
                hours[row.ReceivedHour]++;
                autoAnswered += row.KnowledgeAnswered ? 1 : 0;
                reopened += row.ReopenedAfterKnowledgeAnswer ? 1 : 0;
            }
            Add(byMonth, (row.Month, row.Criticality), row);
            Add(byEngineer, row.Engineer, row);
            Add(bySubscriber, row.SubscriberId is { } id ? logins.GetValueOrDefault(id, Nobody) : Nobody, row);
        }

        // The refusal reasons of each ticket's latest decision, counted by the set of reasons in SQL.
        var refusalSets = await db.Decisions.AsNoTracking()
            .Where(d => d.Outcome == DecisionOutcome.Refused && inPeriod.Any(t => t.Id == d.TicketId)
                && !db.Decisions.Any(later => later.TicketId == d.TicketId && later.Id > d.Id))
            .GroupBy(d => d.Reasons).Select(g => new { Reasons = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var refusals = refusalSets
            .SelectMany(set => Enum.GetValues<RefusalReasons>().Where(r => r != RefusalReasons.None && set.Reasons.HasFlag(r)).Select(r => (Reason: r, set.Count)))
            .GroupBy(r => r.Reason).OrderBy(g => g.Key).Select(g => new SlaRefusalCount(g.Key, g.Sum(r => r.Count))).ToList();

        // The breached tickets' events, asked by a subquery (the rows' own query, filtered by the same outcome) rather
        // than by a list of thousands of ids.
        var breachedIds = query.Where(r => r.Outcome == Outcome.Breached).Select(r => r.TicketId);
        var breaches = await BreachesAsync(db, rows, breachedIds, now, cancellationToken);

        var schedule = deadlines.Timeline.Schedule;
        var load = Enumerable.Range(0, 24)
            .Select(h => new SlaHourLoad(h, hours[h], h >= schedule.Start.Hour && new LocalTime(h, 0) < schedule.End)).ToList();

        return new SlaReportResult(from, to, zone, now, tickets,
            [.. byMonth.OrderBy(g => g.Key.Month).ThenBy(g => g.Key.Criticality).Select(g => g.Value.Figures(MonthText(g.Key.Month), g.Key.Criticality.ToString()))],
            [.. byEngineer.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.Figures(null, g.Key))],
            [.. bySubscriber.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.Figures(null, g.Key))],
            [.. breaches.OrderBy(b => b.Due)],
            refusals, autoAnswered, reopened, load);
    }

    /// <summary>Reads the rows with EF Core's own command for the query — its SQL and parameters for either engine — but
    /// not its materializer, which cost about three times SQLite's own work over 100,000 rows (docs/performance.md):
    /// every column is a plain number, flag or text, read by its position in the projection.</summary>
    private static async Task<List<Row>> ReadRowsAsync<T>(ReglamentDb db, IQueryable<T> query, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        await using var command = query.CreateDbCommand();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new Row(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), Enum.Parse<Criticality>(reader.GetString(3)), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5), (Outcome)reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    reader.GetInt32(8), reader.GetBoolean(9), reader.GetBoolean(10)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return rows;
    }

    /// <summary>The breaches with the clock's explanation: the tickets with a breached kept deadline, read again from
    /// their events, so the explanation and the working time over are the ticket page's own.</summary>
    private async Task<List<SlaBreach>> BreachesAsync(ReglamentDb db, List<Row> rows, IQueryable<long> breachedIds, Instant now, CancellationToken cancellationToken)
    {
        var engineers = rows.Where(r => r.Outcome == Outcome.Breached).ToDictionary(r => (r.TicketId, r.Cycle), r => r.Engineer);
        var ids = engineers.Keys.Select(k => k.TicketId).Distinct().ToList();
        var events = (await db.SlaEvents.AsNoTracking().Where(e => breachedIds.Contains(e.TicketId)).ToListAsync(cancellationToken)).ToLookup(e => e.TicketId);
        var timeline = deadlines.Timeline;
        var breaches = new List<SlaBreach>();
        foreach (var id in ids)
        {
            // Steps without the calendar's explanation, which a breach does not show.
            var (reading, steps) = SlaClock.ReadSteps(events[id], rules, timeline, now);
            for (var i = 0; i < reading.Cycles.Count; i++)
            {
                var cycle = reading.Cycles[i];
                if (Classify(cycle, now) != Outcome.Breached)
                    continue;
                // An unanswered deadline is always the last one (a new one opens only after a response), so the
                // reading's working time used is this one's.
                var used = cycle.ResponseTime ?? reading.Used;
                breaches.Add(new SlaBreach(new TicketNumber(id), cycle.Criticality, cycle.Start, cycle.Due!.Value, cycle.Response,
                    engineers.GetValueOrDefault((id, i)) ?? Nobody, used - cycle.Target, steps));
            }
        }
        return breaches;
    }

    /// <summary>The nearest-rank percentile (the smallest value with at least <paramref name="p"/> of the values at or
    /// below it): always one of the measured response times, so a figure can be traced to a ticket.</summary>
    public static Duration? Percentile(IReadOnlyList<Duration> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Add<TKey>(Dictionary<TKey, Tally> groups, TKey key, Row row) where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var tally))
            groups.Add(key, tally = new Tally());
        tally.Add(row);
    }

    /// <summary>The figures of one group, added up row by row.</summary>
    private sealed class Tally
    {
        private readonly List<long> times = [];
        private int deadlines, met, breached, pending;

        public void Add(Row row)
        {
            deadlines++;
            switch (row.Outcome)
            {
                case Outcome.Met: met++; break;
                case Outcome.Breached: breached++; break;
                default: pending++; break;
            }
            if (row.ResponseTicks is { } ticks)
                times.Add(ticks);
        }

        public SlaShare Figures(string? month, string key)
        {
            times.Sort();
            var sorted = times.ConvertAll(Duration.FromTicks);
            return new SlaShare(month, key, deadlines, met, breached, pending, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
        }
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

    private sealed record Row(long TicketId, int Cycle, int Month, Criticality Criticality, string Engineer, long? SubscriberId, Outcome Outcome,
        long? ResponseTicks, int ReceivedHour, bool KnowledgeAnswered, bool ReopenedAfterKnowledgeAnswer);
}
