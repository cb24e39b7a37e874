using NodaTime;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>What one event did to the clock, for the explanation.</summary>
public enum SlaEffect
{
    /// <summary>The request was received: the clock runs from here.</summary>
    Started,
    /// <summary>Support asked for information (R8): the clock stopped.</summary>
    Paused,
    /// <summary>Support asked for information, but the configuration keeps the clock running.</summary>
    KeptRunning,
    /// <summary>The subscriber's information arrived (or an engineer accepted the request as it is): the clock runs again.</summary>
    Resumed,
    /// <summary>This is the response the deadline measures.</summary>
    Answered,
    /// <summary>A response that the rules do not count (an automatic answer to anything but a question, a refusal
    /// when refusals do not count).</summary>
    NotCounted,
    /// <summary>A response after the one that counted.</summary>
    AlreadyAnswered,
    /// <summary>The subscriber wrote after being answered: a fresh deadline from this message.</summary>
    Restarted,
    /// <summary>The criticality changed: the deadline is recomputed from the same start.</summary>
    Retargeted,
    /// <summary>An engineer accepted the request: automatic responses (a refusal, a knowledge-base answer) no longer
    /// count; the clock keeps its start — the receipt, or the last reopen.</summary>
    AutomaticResponsesVoided,
    /// <summary>A calendar year was imported: the deadline is recomputed from the same events.</summary>
    Recomputed,
    /// <summary>Nothing changes (information that nobody waited for, a reopen while still unanswered, a second receipt).</summary>
    NoChange,
}

/// <summary>One event as the clock read it.</summary>
public sealed record SlaStep(Instant At, SlaEventKind Kind, string Actor, SlaEffect Effect, ResponseKind? Response = null,
    DecisionOutcome? Outcome = null, Criticality? Criticality = null, string? Note = null);

/// <summary>The response that the deadline measures.</summary>
public sealed record SlaResponse(Instant At, ResponseKind Kind, string Actor);

/// <summary>One response deadline of a ticket: the first from the receipt, a new one from each reopen.</summary>
/// <param name="Start">Where this deadline's clock starts (the receipt or the reopening message).</param>
/// <param name="Criticality">The criticality it is measured against (the latest change applies from the same start).</param>
/// <param name="Target">The criticality's target in working time.</param>
/// <param name="Due">When the target is used up; null while the clock is paused short of it.</param>
/// <param name="AtRiskAt">When the at-risk share of the target is used up; null while paused short of it.</param>
/// <param name="Response">The response that counts for it, if any.</param>
/// <param name="ResponseTime">The working time the clock ran from the start to that response, pauses excluded: what
/// the reports' medians and percentiles are taken of. Null while unanswered.</param>
public sealed record SlaCycle(Instant Start, Criticality Criticality, Duration Target, Instant? Due, Instant? AtRiskAt, SlaResponse? Response,
    Duration? ResponseTime = null)
{
    /// <summary>Answered, and in time.</summary>
    public bool Met => Response is { } r && (Due is not { } due || r.At <= due);
}

/// <summary>Everything the desk says about a ticket's response deadline, as of <see cref="Now"/>.</summary>
public sealed record SlaReading(
    Instant Now,
    SlaState State,
    SlaCycle? Current,
    bool Paused,
    Duration Used,
    bool Provisional,
    YearStatus CalendarStatus,
    string CalendarVersion,
    IReadOnlyList<WorkingPeriod> Consumed,
    IReadOnlyList<SkippedDay> Skipped,
    IReadOnlyList<SlaStep> Steps,
    IReadOnlyList<SlaCycle> Cycles)
{
    public Instant? Due => Current?.Due;
    public Instant? AtRiskAt => Current?.AtRiskAt;
    public SlaResponse? Response => Current?.Response;
    public Instant? ClockStart => Current?.Start;
}

/// <summary>A ticket's response deadlines as of <see cref="Now"/> without the explanation: what
/// <see cref="SlaClock.ReadFigures"/> returns, and the same values as the <see cref="SlaReading"/> of the same events.</summary>
public sealed record SlaFigures(Instant Now, SlaState State, SlaCycle? Current, bool Paused, Duration Used, IReadOnlyList<SlaCycle> Cycles);

/// <summary>The one function from a ticket's stored events to its response deadline, at-risk instant, state and
/// explanation (docs/working-time.md, «The response clock»). Pure: the same events, rules, calendar and instant give
/// the same reading, so the ticket page, the API, the queue's cached deadline, a criticality change and a calendar
/// import can never disagree.</summary>
/// <remarks>A ticket's clock is a sequence of cycles. Each cycle has a start, a criticality, the intervals in which its
/// clock ran (a request for information closes one, the information opens the next) and the responses given. Its
/// deadline is where the running intervals accumulate the target in working time; the response that counts is the
/// first one the rules count. A reopen after a counted response closes the cycle and opens a new one.</remarks>
public static class SlaClock
{
    /// <summary>Reads the events in the order they happened: the receipt first (nothing happens to a request before
    /// support has it), then by <see cref="SlaEvent.At"/>, ties in the order they were stored. An event stamped before
    /// the one preceding it (an automatic answer stamped by a clock behind the receipt's) takes effect at that one's instant.</summary>
    public static SlaReading Read(IEnumerable<SlaEvent> events, SlaRules rules, WorkingTimeline timeline, Instant now)
    {
        var steps = new List<SlaStep>();
        var cycles = Replay(events, rules, steps);
        return Reading(cycles, steps, rules, timeline, now);
    }

    /// <summary>The same reading without the explanation (no steps, consumed periods or skipped days, no calendar
    /// status): the deadlines, state and response times only, for the reports, which read thousands of tickets and
    /// explain only the breaches. The same replay and the same evaluation as <see cref="Read"/>, so the two cannot
    /// disagree on a deadline.</summary>
    public static SlaFigures ReadFigures(IEnumerable<SlaEvent> events, SlaRules rules, WorkingTimeline timeline, Instant now) =>
        Figures(Replay(events, rules, steps: null), rules, timeline, now);

    /// <summary>The figures with what each event did (<see cref="SlaReading.Steps"/>) but without the calendar's part
    /// of the explanation (consumed periods, skipped days): what the report shows of a breach. The same replay and
    /// evaluation as <see cref="Read"/>.</summary>
    public static (SlaFigures Figures, IReadOnlyList<SlaStep> Steps) ReadSteps(IEnumerable<SlaEvent> events, SlaRules rules, WorkingTimeline timeline, Instant now)
    {
        var steps = new List<SlaStep>();
        return (Figures(Replay(events, rules, steps), rules, timeline, now), steps);
    }

    /// <summary>The state from the four facts the ticket also caches, so the queue's state of a ticket is this same rule.</summary>
    public static SlaState StateOf(Instant? due, Instant? atRisk, Instant? respondedAt, Instant now) => (due, respondedAt) switch
    {
        (_, { } responded) => due is { } d && responded > d ? SlaState.Breached : SlaState.Met,
        ({ } d, null) when now >= d => SlaState.Breached,
        (null, null) => SlaState.Paused,
        _ when atRisk is { } risk && now >= risk => SlaState.AtRisk,
        _ => SlaState.OnTrack,
    };

    /// <summary>Replays the events into the clock's cycles; records each event's effect in <paramref name="steps"/>
    /// when given.</summary>
    private static List<Cycle> Replay(IEnumerable<SlaEvent> events, SlaRules rules, List<SlaStep>? steps)
    {
        var ordered = Order(events);
        var cycles = new List<Cycle>();
        Cycle? cycle = null;
        var type = RequestType.Incident;
        var criticality = Criticality.Normal;
        var last = Instant.MinValue;
        foreach (var e in ordered)
        {
            var at = Instant.Max(e.At, last);
            last = at;
            SlaEffect effect;
            if (cycle is null)
            {
                // Only a receipt can come first (see Order); without one there is no clock to act on.
                if (e.Kind != SlaEventKind.Received)
                {
                    steps?.Add(Step(e, at, SlaEffect.NoChange));
                    continue;
                }
                type = e.Type ?? type;
                criticality = e.Criticality ?? criticality;
                cycle = new Cycle(at, criticality);
                cycles.Add(cycle);
                steps?.Add(Step(e, at, SlaEffect.Started));
                continue;
            }
            switch (e.Kind)
            {
                case SlaEventKind.InformationRequested:
                    effect = cycle.Pause(at, rules);
                    break;
                case SlaEventKind.InformationReceived:
                    effect = cycle.Resume(at) ? SlaEffect.Resumed : SlaEffect.NoChange;
                    break;
                case SlaEventKind.Responded:
                    effect = cycle.Respond(at, e.Response ?? ResponseKind.EngineerReply, e.Actor, rules.Counts(e.Response ?? ResponseKind.EngineerReply, type));
                    break;
                case SlaEventKind.Reopened when cycle.Answered is not null:
                    cycle = new Cycle(at, criticality);
                    cycles.Add(cycle);
                    effect = SlaEffect.Restarted;
                    break;
                case SlaEventKind.Reopened:
                    // Still waiting for the first response: the deadline stands; a paused clock runs again.
                    effect = cycle.Resume(at) ? SlaEffect.Resumed : SlaEffect.NoChange;
                    break;
                case SlaEventKind.CriticalityChanged:
                    criticality = e.Criticality ?? criticality;
                    cycle.Criticality = criticality;
                    effect = SlaEffect.Retargeted;
                    break;
                case SlaEventKind.DecisionOverridden:
                    effect = e.Outcome switch
                    {
                        DecisionOutcome.Accepted => cycle.Accept(at),
                        DecisionOutcome.Refused => cycle.Respond(at, ResponseKind.Refusal, e.Actor, rules.Counts(ResponseKind.Refusal, type)),
                        DecisionOutcome.NeedsMoreInformation => AskedForInformation(cycle.VoidAutomatic(), cycle.Pause(at, rules)),
                        _ => SlaEffect.NoChange,
                    };
                    break;
                case SlaEventKind.CalendarChanged:
                    effect = SlaEffect.Recomputed;
                    break;
                default:
                    effect = SlaEffect.NoChange;
                    break;
            }
            steps?.Add(Step(e, at, effect));
        }
        return cycles;
    }

    private static List<SlaEvent> Order(IEnumerable<SlaEvent> events)
    {
        // Stored rows by id; rows not yet saved (id 0) after them, in the order they were added. One sort whose last key
        // is the position (so it is as stable as OrderBy) rather than an OrderBy/ThenBy chain: this runs for every
        // ticket of a report, and the chain was an eighth of the report's time (docs/performance.md).
        var indexed = events.Select((e, i) => (Event: e, Index: i)).ToList();
        indexed.Sort(static (a, b) =>
        {
            var byTime = a.Event.At.CompareTo(b.Event.At);
            var byRow = StoredOrder(a.Event).CompareTo(StoredOrder(b.Event));
            return byTime != 0 ? byTime : byRow != 0 ? byRow : a.Index.CompareTo(b.Index);
        });
        var list = indexed.ConvertAll(x => x.Event);
        var receipt = list.FindIndex(e => e.Kind == SlaEventKind.Received);
        if (receipt > 0)
        {
            var received = list[receipt];
            list.RemoveAt(receipt);
            list.Insert(0, received);
        }
        return list;
    }

    private static long StoredOrder(SlaEvent e) => e.Id == 0 ? long.MaxValue : e.Id;

    /// <summary>An override to needs-information is told by its pause; when the clock was already paused, by the
    /// automatic responses it voided.</summary>
    private static SlaEffect AskedForInformation(bool voided, SlaEffect paused) => paused == SlaEffect.NoChange && voided ? SlaEffect.AutomaticResponsesVoided : paused;

    private static SlaStep Step(SlaEvent e, Instant at, SlaEffect effect) => new(at, e.Kind, e.Actor, effect, e.Response, e.Outcome, e.Criticality, e.Note);

    private static SlaFigures Figures(List<Cycle> cycles, SlaRules rules, WorkingTimeline timeline, Instant now)
    {
        if (cycles.Count == 0)
            return new SlaFigures(now, SlaState.Paused, null, true, Duration.Zero, []);
        var read = cycles.Select(c => c.Evaluate(rules, timeline)).ToList();
        var current = read[^1];
        var used = cycles[^1].RanUntil(current.Response?.At ?? now, timeline);
        var state = StateOf(current.Due, current.AtRiskAt, current.Response?.At, now);
        return new SlaFigures(now, state, current, cycles[^1].Paused, used, read);
    }

    private static SlaReading Reading(List<Cycle> cycles, List<SlaStep> steps, SlaRules rules, WorkingTimeline timeline, Instant now)
    {
        var version = timeline.Calendar.Version;
        var figures = Figures(cycles, rules, timeline, now);
        if (figures.Current is not { } current)
            return new SlaReading(now, figures.State, null, figures.Paused, figures.Used, false, YearStatus.Verified, version, [], [], steps, []);

        var status = YearStatus.Verified;
        var consumed = new List<WorkingPeriod>();
        var skipped = new List<SkippedDay>();
        var remaining = current.Target;
        foreach (var (from, to) in cycles[^1].Intervals())
        {
            var length = to is { } end ? timeline.Between(from, end) : remaining;
            var take = length < remaining ? length : remaining;
            var explained = timeline.Explain(from, take);
            consumed.AddRange(explained.Consumed);
            skipped.AddRange(explained.Skipped);
            status = explained.CalendarStatus > status ? explained.CalendarStatus : status;
            remaining -= take;
            if (remaining <= Duration.Zero)
                break;
        }
        return new SlaReading(now, figures.State, current, figures.Paused, figures.Used, status != YearStatus.Verified, status, version, consumed, skipped,
            steps, figures.Cycles);
    }

    /// <summary>One deadline's clock while the events are read.</summary>
    private sealed class Cycle(Instant start, Criticality criticality)
    {
        private readonly List<(Instant From, Instant To)> closed = [];
        private readonly List<Response> responses = [];
        private Instant? runningSince = start;

        public Instant Start { get; } = start;

        public Criticality Criticality { get; set; } = criticality;

        public bool Paused => runningSince is null;

        public Response? Answered => responses.FirstOrDefault(r => r.Counts && !r.Voided);

        public SlaEffect Pause(Instant at, SlaRules rules)
        {
            if (!rules.InformationRequestPauses)
                return SlaEffect.KeptRunning;
            if (runningSince is not { } since)
                return SlaEffect.NoChange;
            closed.Add((since, at));
            runningSince = null;
            return SlaEffect.Paused;
        }

        /// <summary>An engineer accepted the request as it is: a pause for information ends, and what the rules
        /// answered automatically is not the response; the start stays where it was (the receipt, or the reopen).</summary>
        public SlaEffect Accept(Instant at)
        {
            var resumed = Resume(at);
            return VoidAutomatic() ? SlaEffect.AutomaticResponsesVoided : resumed ? SlaEffect.Resumed : SlaEffect.NoChange;
        }

        public bool Resume(Instant at)
        {
            if (runningSince is not null)
                return false;
            runningSince = at;
            return true;
        }

        public SlaEffect Respond(Instant at, ResponseKind kind, string actor, bool counts)
        {
            var answeredBefore = Answered is not null;
            responses.Add(new Response(new SlaResponse(at, kind, actor), counts));
            return !counts ? SlaEffect.NotCounted : answeredBefore ? SlaEffect.AlreadyAnswered : SlaEffect.Answered;
        }

        /// <summary>What the rules answered automatically (a refusal, a knowledge-base answer) stops counting.</summary>
        public bool VoidAutomatic()
        {
            var voided = false;
            foreach (var r in responses.Where(r => r.Value.Kind != ResponseKind.EngineerReply && !r.Voided))
                voided = r.Voided = true;
            return voided;
        }

        /// <summary>The intervals the clock ran: closed ones, then the open one (To null) if it runs now.</summary>
        public IEnumerable<(Instant From, Instant? To)> Intervals() =>
            closed.Select(c => (c.From, (Instant?)c.To)).Concat(runningSince is { } since ? [(since, null)] : []);

        public SlaCycle Evaluate(SlaRules rules, WorkingTimeline timeline)
        {
            var target = rules.Target(Criticality);
            var answered = Answered?.Value;
            return new SlaCycle(Start, Criticality, target, Reach(target, timeline), Reach(rules.AtRisk(target), timeline), answered,
                answered is null ? null : RanUntil(answered.At, timeline));
        }

        /// <summary>The working time the clock ran before <paramref name="until"/>.</summary>
        public Duration RanUntil(Instant until, WorkingTimeline timeline) => Intervals().Aggregate(Duration.Zero, (sum, interval) =>
            interval.From >= until ? sum : sum + timeline.Between(interval.From, interval.To is { } end && end < until ? end : until));

        /// <summary>The instant the running intervals have accumulated <paramref name="amount"/> of working time; null
        /// when the clock is paused short of it.</summary>
        private Instant? Reach(Duration amount, WorkingTimeline timeline)
        {
            var remaining = amount;
            foreach (var (from, to) in Intervals())
            {
                if (to is not { } end)
                    return timeline.Add(from, remaining);
                if (remaining == Duration.Zero)
                {
                    // A zero amount is reached where the clock first runs.
                    var first = timeline.NextWorkingStart(from);
                    if (first < end)
                        return first;
                    continue;
                }
                var length = timeline.Between(from, end);
                if (remaining <= length)
                    return timeline.Add(from, remaining);
                remaining -= length;
            }
            return null;
        }
    }

    private sealed class Response(SlaResponse value, bool counts)
    {
        public SlaResponse Value { get; } = value;

        public bool Counts { get; } = counts;

        public bool Voided { get; set; }
    }
}
