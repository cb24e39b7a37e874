using NodaTime;

namespace Reglament.WorkingTime;

/// <summary>
/// Working time on a production calendar under a work schedule: whether an instant is working time, deadlines
/// (an instant plus working time) and the working time between two instants.
/// </summary>
/// <remarks>
/// <para>
/// Every day from <see cref="FirstDate"/> to <see cref="LastDate"/> is precomputed once as its working period
/// (an instant range, empty on a day off) and the working time accumulated before it. An instant maps to a
/// position on that cumulative scale and back in O(log n) without stepping through days, so a 24-hour deadline
/// across the New Year holidays costs about what a 2-hour one does. Instants outside the range are rejected
/// with <see cref="ArgumentOutOfRangeException"/>.
/// </para>
/// <para>
/// Durations are NodaTime <see cref="Duration"/>s of <em>working</em> time; instants keep full precision
/// (received 10:00:30 + 2 h = 12:00:30). Immutable and thread-safe; build one per calendar and schedule.
/// </para>
/// </remarks>
public sealed class WorkingTimeline
{
    /// <summary>The first precomputed local date.</summary>
    public static readonly LocalDate FirstDate = new(1990, 1, 1);

    /// <summary>The last precomputed local date.</summary>
    public static readonly LocalDate LastDate = new(2100, 12, 31);

    private const long NanosecondsPerMinute = 60_000_000_000;
    private const long NanosecondsPerDay = 24 * 60 * NanosecondsPerMinute;

    private readonly Instant origin;
    private readonly Instant end;

    // Per local day i (and a sentinel at n): minutes from origin to the start of working hours, and working
    // minutes accumulated before that day. Day i's working time is before[i + 1] - before[i] minutes.
    private readonly int[] start;
    private readonly int[] before;

    /// <summary>Precomputes working time for <see cref="FirstDate"/>–<see cref="LastDate"/>.</summary>
    /// <param name="calendar">Which days are worked.</param>
    /// <param name="schedule">Which hours are worked; <see cref="WorkSchedule.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The schedule's hours are empty or not whole minutes, or too short to shorten.</exception>
    public WorkingTimeline(ProductionCalendar calendar, WorkSchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        schedule ??= WorkSchedule.Default;
        Calendar = calendar;
        Schedule = schedule;
        var zone = schedule.Zone;
        var shortenedEnd = schedule.ShortenPreHolidayDays ? schedule.End.PlusHours(-1) : schedule.End;
        long length = schedule.End.NanosecondOfDay - schedule.Start.NanosecondOfDay;
        if (length <= (schedule.ShortenPreHolidayDays ? 60 * NanosecondsPerMinute : 0)
            || schedule.Start.NanosecondOfDay % NanosecondsPerMinute != 0 || schedule.End.NanosecondOfDay % NanosecondsPerMinute != 0)
            throw new ArgumentException($"Working hours {schedule} must be whole minutes with Start before End (by more than an hour when shortened days are shortened).", nameof(schedule));

        origin = zone.AtStartOfDay(FirstDate).ToInstant();
        end = zone.AtStartOfDay(LastDate.PlusDays(1)).ToInstant();
        int days = Period.DaysBetween(FirstDate, LastDate) + 1;
        start = new int[days + 1];
        before = new int[days + 1];

        int total = 0, previousEnd = 0;
        var year = calendar.YearOf(FirstDate.Year);
        var date = FirstDate;
        for (int i = 0; i <= days; i++, date = date.PlusDays(1))
        {
            if (date.Year != year.Year)
                year = calendar.YearOf(date.Year);
            var kind = year.KindOf(date, calendar.PresidentialDaysOff);
            // A zone that skips a whole local day (Samoa, 2011) would fold two days together: keep them ordered.
            int from = Math.Max(MinutesFromOrigin(zone.AtLeniently(date + schedule.Start)), previousEnd);
            int to = kind switch
            {
                DayKind.WorkingDay => MinutesFromOrigin(zone.AtLeniently(date + schedule.End)),
                DayKind.ShortenedWorkingDay => MinutesFromOrigin(zone.AtLeniently(date + shortenedEnd)),
                _ => from,
            };
            to = Math.Max(to, from);
            start[i] = from;
            before[i] = total;
            if (i < days)
                total += to - from;
            previousEnd = Math.Max(previousEnd, to);
        }
    }

    /// <summary>The calendar the timeline was built from.</summary>
    public ProductionCalendar Calendar { get; }

    /// <summary>The schedule the timeline was built from.</summary>
    public WorkSchedule Schedule { get; }

    /// <summary>The instants the timeline answers for: from the start of <see cref="FirstDate"/> to the end of <see cref="LastDate"/> in the schedule's zone.</summary>
    public Interval Coverage => new(origin, end);

    /// <summary>The bytes held by the precomputed arrays (two ints a day).</summary>
    public int PrecomputedBytes => (start.Length + before.Length) * sizeof(int);

    /// <summary>Whether <paramref name="instant"/> is inside working hours of a working day.</summary>
    /// <param name="instant">Any instant within <see cref="Coverage"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The instant is outside <see cref="Coverage"/>.</exception>
    public bool IsWorkingTime(Instant instant)
    {
        long at = Offset(instant);
        int day = DayOf(at);
        long into = at - start[day] * NanosecondsPerMinute;
        return into >= 0 && into < (before[day + 1] - before[day]) * NanosecondsPerMinute;
    }

    /// <summary>When the clock starts for something received at <paramref name="instant"/>: the instant itself in working time, otherwise the start of the next working period.</summary>
    /// <param name="instant">Any instant within <see cref="Coverage"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The instant is outside <see cref="Coverage"/>, or no working time follows within it.</exception>
    public Instant NextWorkingStart(Instant instant)
    {
        long position = Position(instant, out int day);
        return InstantAt(position, day, atPeriodEnd: false);
    }

    /// <summary>
    /// The deadline: the instant when <paramref name="workingTime"/> of working time has passed since
    /// <paramref name="received"/>. The clock starts at receipt in working hours, otherwise at the next start of
    /// working hours. A deadline that uses up a working period exactly is that period's end (17:00, not the next
    /// morning). Zero working time gives <see cref="NextWorkingStart"/>.
    /// </summary>
    /// <param name="received">When the request was received; any UTC offset.</param>
    /// <param name="workingTime">Working time allowed; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative, or an instant involved is outside <see cref="Coverage"/>.</exception>
    public Instant Add(Instant received, Duration workingTime)
    {
        // Beyond ~120 years the position could overflow; no such span fits in the coverage anyway.
        if (workingTime < Duration.Zero || workingTime.Days > 45_000)
            throw new ArgumentOutOfRangeException(nameof(workingTime), workingTime, "Working time must be between zero and the timeline's coverage.");
        long position = Position(received, out int day);
        return workingTime == Duration.Zero
            ? InstantAt(position, day, atPeriodEnd: false)
            : InstantAt(position + workingTime.ToInt64Nanoseconds(), day, atPeriodEnd: true);
    }

    /// <summary>The working time in [<paramref name="from"/>, <paramref name="to"/>); negative when <paramref name="to"/> is earlier.</summary>
    /// <param name="from">Start instant.</param>
    /// <param name="to">End instant.</param>
    /// <exception cref="ArgumentOutOfRangeException">An instant is outside <see cref="Coverage"/>.</exception>
    public Duration Between(Instant from, Instant to) =>
        Duration.FromNanoseconds(Position(to, out _) - Position(from, out _));

    /// <summary>
    /// The deadline <see cref="Add"/> gives, with the working periods it consumed, the days it skipped and
    /// whether any day from receipt to deadline lies in a provisional or unknown calendar year.
    /// </summary>
    /// <param name="received">When the request was received.</param>
    /// <param name="workingTime">Working time allowed; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">As for <see cref="Add"/>.</exception>
    public DeadlineExplanation Explain(Instant received, Duration workingTime)
    {
        var deadline = Add(received, workingTime);
        var clockStart = NextWorkingStart(received);
        var zone = Schedule.Zone;
        var consumed = new List<WorkingPeriod>();
        var skipped = new List<SkippedDay>();
        var status = YearStatus.Verified;
        var last = deadline.InZone(zone).Date;
        for (var date = received.InZone(zone).Date; date <= last; date = date.PlusDays(1))
        {
            var day = Calendar.GetDay(date);
            status = (YearStatus)Math.Max((int)status, (int)day.YearStatus);
            int i = Period.DaysBetween(FirstDate, date);
            if (before[i + 1] == before[i])
            {
                skipped.Add(new SkippedDay(date, day.Kind));
                continue;
            }
            var periodStart = origin + Duration.FromMinutes(start[i]);
            var periodEnd = periodStart + Duration.FromMinutes(before[i + 1] - before[i]);
            var from = Instant.Max(periodStart, clockStart);
            var to = Instant.Min(periodEnd, deadline);
            if (from < to)
                consumed.Add(new WorkingPeriod(date, from.InZone(zone).TimeOfDay, to.InZone(zone).TimeOfDay));
        }
        return new DeadlineExplanation(received, workingTime, deadline, consumed, skipped, status, Calendar.Version);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Working time {Schedule} on {Calendar}";

    private long Offset(Instant instant)
    {
        if (instant < origin || instant >= end)
            throw new ArgumentOutOfRangeException(nameof(instant), instant, $"Working time is precomputed for {FirstDate.Year}–{LastDate.Year} ({Schedule.Zone.Id}) only.");
        return (instant - origin).ToInt64Nanoseconds();
    }

    /// <summary>The last day whose working period starts at or before <paramref name="at"/> (or day 0).</summary>
    private int DayOf(long at)
    {
        // Days are ~24 h apart, so dividing guesses the day; offset changes move it by one at most.
        int last = start.Length - 2;
        int day = (int)Math.Clamp((at - start[0] * NanosecondsPerMinute) / NanosecondsPerDay, 0, last);
        while (day < last && start[day + 1] * NanosecondsPerMinute <= at)
            day++;
        while (day > 0 && start[day] * NanosecondsPerMinute > at)
            day--;
        return day;
    }

    /// <summary>Working nanoseconds from origin to <paramref name="instant"/>.</summary>
    private long Position(Instant instant, out int day)
    {
        long at = Offset(instant);
        day = DayOf(at);
        long into = Math.Clamp(at - start[day] * NanosecondsPerMinute, 0, (before[day + 1] - before[day]) * NanosecondsPerMinute);
        return before[day] * NanosecondsPerMinute + into;
    }

    /// <summary>
    /// The instant at a working position, searching from day <paramref name="fromDay"/> on. A position that
    /// lies exactly at a period's end belongs to that period when <paramref name="atPeriodEnd"/>, else to the
    /// start of the next one.
    /// </summary>
    private Instant InstantAt(long position, int fromDay, bool atPeriodEnd)
    {
        int last = start.Length - 2;
        bool Reached(int day) => atPeriodEnd
            ? before[day + 1] * NanosecondsPerMinute >= position
            : before[day + 1] * NanosecondsPerMinute > position;

        if (!Reached(last))
            throw new ArgumentOutOfRangeException(nameof(position), $"The result would fall after {LastDate.Year}, beyond the precomputed working time.");
        // Gallop forward from the receipt day (most deadlines end within days), then bisect.
        int low = fromDay, high = fromDay, step = 1;
        while (!Reached(high))
        {
            low = high + 1;
            high = Math.Min(high + step, last);
            step *= 2;
        }
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (Reached(middle))
                high = middle;
            else
                low = middle + 1;
        }
        return origin + Duration.FromNanoseconds(start[low] * NanosecondsPerMinute + (position - before[low] * NanosecondsPerMinute));
    }

    private int MinutesFromOrigin(ZonedDateTime time)
    {
        long nanoseconds = (time.ToInstant() - origin).ToInt64Nanoseconds();
        return nanoseconds % NanosecondsPerMinute == 0
            ? (int)(nanoseconds / NanosecondsPerMinute)
            : throw new ArgumentException($"{Schedule.Zone.Id} has an offset that is not a whole minute at {time}; working periods must start and end on whole minutes.");
    }
}
