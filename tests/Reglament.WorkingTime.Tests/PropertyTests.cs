using CsCheck;
using NodaTime;
using Xunit;

namespace Reglament.WorkingTime.Tests;

/// <summary>
/// Laws of working-time arithmetic, over instants from 2011 to 2030 (UTC+3, UTC+4, verified, provisional and
/// unknown years). Most generated instants are whole minutes so that day boundaries (07:00, 17:00) are hit.
/// </summary>
public sealed class PropertyTests
{
    private static readonly WorkingTimeline Timeline = Moscow.Timeline;

    private static readonly Instant From = Instant.FromUtc(2011, 1, 1, 0, 0);
    private static readonly Instant To = Instant.FromUtc(2030, 12, 1, 0, 0);

    private static readonly Gen<Instant> Instants = InstantsBetween(From, To);

    /// <summary>The whole precomputed range, with a margin for the deadline.</summary>
    private static readonly Gen<Instant> AnyInstants = InstantsBetween(Instant.FromUtc(1990, 1, 1, 0, 0), Instant.FromUtc(2100, 9, 1, 0, 0));

    private static Gen<Instant> InstantsBetween(Instant from, Instant to) => Gen.Select(
        Gen.Long[0, (long)(to - from).TotalMinutes],
        Gen.Int[0, 3],
        Gen.Long[0, 59_999_999_999],
        (minute, precise, nanoseconds) => from + Duration.FromMinutes(minute) + Duration.FromNanoseconds(precise == 0 ? nanoseconds : 0));

    /// <summary>Up to four weeks of working time; a quarter of them with a sub-minute part.</summary>
    private static readonly Gen<Duration> WorkingTimes = Gen.Select(
        Gen.Long[0, 4 * 5 * 10 * 60],
        Gen.Int[0, 3],
        Gen.Long[0, 59_999_999_999],
        (minutes, precise, nanoseconds) => Duration.FromMinutes(minutes) + Duration.FromNanoseconds(precise == 0 ? nanoseconds : 0));

    private static readonly Gen<Duration> PositiveWorkingTimes = WorkingTimes.Where(d => d > Duration.Zero);

    [Fact]
    public void Between_UndoesAdd() =>
        Gen.Select(Instants, WorkingTimes).Sample((t, d) => Timeline.Between(t, Timeline.Add(t, d)) == d, iter: 20_000);

    /// <summary>Adding in two steps equals adding the sum, for any receipt, whenever the second step is positive.</summary>
    [Fact]
    public void Add_IsAssociative_WhenTheSecondStepIsPositive() =>
        Gen.Select(Instants, WorkingTimes, PositiveWorkingTimes)
            .Sample((t, d1, d2) => Timeline.Add(Timeline.Add(t, d1), d2) == Timeline.Add(t, d1 + d2), iter: 20_000);

    /// <summary>
    /// With a zero second step the law holds exactly when the first deadline is working time: a deadline at a
    /// day's end (17:00) is not working time, and adding zero to it moves it to the next working start.
    /// </summary>
    [Fact]
    public void Add_Zero_MovesOnlyADeadlineAtADaysEnd() =>
        Gen.Select(Instants, PositiveWorkingTimes).Sample((t, d) =>
        {
            var deadline = Timeline.Add(t, d);
            var again = Timeline.Add(deadline, Duration.Zero);
            return Timeline.IsWorkingTime(deadline)
                ? again == deadline
                : again > deadline && Timeline.Between(deadline, again) == Duration.Zero && Timeline.IsWorkingTime(again);
        }, iter: 20_000);

    [Fact]
    public void Deadline_IsMonotonicInReceipt() =>
        Gen.Select(Instants, Instants, WorkingTimes).Sample((a, b, d) =>
        {
            var (early, late) = a <= b ? (a, b) : (b, a);
            return Timeline.Add(early, d) <= Timeline.Add(late, d);
        }, iter: 20_000);

    [Fact]
    public void Deadline_IsInWorkingTimeOrExactlyAtADaysEnd() =>
        Gen.Select(Instants, PositiveWorkingTimes).Sample((t, d) =>
        {
            var deadline = Timeline.Add(t, d);
            return Timeline.IsWorkingTime(deadline - Duration.Epsilon)
                && (Timeline.IsWorkingTime(deadline) || deadline.InZone(Moscow.Zone).TimeOfDay == new LocalTime(17, 0));
        }, iter: 20_000);

    [Fact]
    public void Deadline_AgreesWithSteppingThroughTheDays()
    {
        Gen.Select(Instants, WorkingTimes).Sample((t, d) => Timeline.Add(t, d) == StepThroughDays(Timeline, t, d), iter: 5_000);
        Gen.Select(AnyInstants, WorkingTimes).Sample((t, d) => Timeline.Add(t, d) == StepThroughDays(Timeline, t, d), iter: 5_000);
    }

    /// <summary>
    /// Sydney's offset in January (summer time) is larger than in winter, so day starts drift both ways; the
    /// long day also has its clock changes (02:00/03:00) inside working hours.
    /// </summary>
    [Theory]
    [InlineData(8, 30, 18, 0)]
    [InlineData(0, 30, 23, 59)]
    public void Deadline_AgreesWithSteppingThroughTheDays_InASouthernZoneWithShortenedDays(int startHour, int startMinute, int endHour, int endMinute)
    {
        var sydney = new WorkingTimeline(ProductionCalendar.Russia.WithPresidentialDaysOff(), new WorkSchedule
        {
            Start = new LocalTime(startHour, startMinute),
            End = new LocalTime(endHour, endMinute),
            Zone = DateTimeZoneProviders.Tzdb["Australia/Sydney"],
            ShortenPreHolidayDays = true,
        });
        Gen.Select(AnyInstants, WorkingTimes).Sample((t, d) => sydney.Add(t, d) == StepThroughDays(sydney, t, d), iter: 5_000);
    }

    /// <summary>The obvious algorithm: walk day by day, spending each working period in turn.</summary>
    private static Instant StepThroughDays(WorkingTimeline timeline, Instant received, Duration workingTime)
    {
        var schedule = timeline.Schedule;
        for (var date = received.InZone(schedule.Zone).Date; ; date = date.PlusDays(1))
        {
            var day = timeline.Calendar.GetDay(date);
            if (!day.IsWorkingDay)
                continue;
            var end = day.Kind == DayKind.ShortenedWorkingDay && schedule.ShortenPreHolidayDays ? schedule.End.PlusHours(-1) : schedule.End;
            var from = Instant.Max(schedule.Zone.AtLeniently(date + schedule.Start).ToInstant(), received);
            var to = schedule.Zone.AtLeniently(date + end).ToInstant();
            if (from >= to)
                continue;
            if (workingTime <= to - from)
                return from + workingTime;
            workingTime -= to - from;
        }
    }
}
