using NodaTime;

namespace Reglament.WorkingTime;

/// <summary>How a deadline was reached: the working periods it consumed and the days it skipped.</summary>
/// <param name="Received">When the clock was asked to start.</param>
/// <param name="WorkingTime">The working time allowed.</param>
/// <param name="Deadline">When that working time is used up.</param>
/// <param name="Consumed">The working periods counted, in order, in the schedule's local time.</param>
/// <param name="Skipped">Days from receipt to deadline with no working time at all, and why.</param>
/// <param name="CalendarStatus">The worst calendar status of any day from receipt to deadline.</param>
/// <param name="CalendarVersion">The <see cref="ProductionCalendar.Version"/> used.</param>
public sealed record DeadlineExplanation(
    Instant Received,
    Duration WorkingTime,
    Instant Deadline,
    IReadOnlyList<WorkingPeriod> Consumed,
    IReadOnlyList<SkippedDay> Skipped,
    YearStatus CalendarStatus,
    string CalendarVersion)
{
    /// <summary>Whether the deadline depends on a provisional or unknown calendar year and may change.</summary>
    public bool IsProvisional => CalendarStatus != YearStatus.Verified;
}

/// <summary>Part of a working day counted towards a deadline.</summary>
/// <param name="Date">The local date.</param>
/// <param name="From">Local time counting started.</param>
/// <param name="To">Local time counting stopped.</param>
public readonly record struct WorkingPeriod(LocalDate Date, LocalTime From, LocalTime To)
{
    /// <summary>The working time counted.</summary>
    public Duration Length => (To - From).ToDuration();
}

/// <summary>A day with no working time between receipt and deadline.</summary>
/// <param name="Date">The local date.</param>
/// <param name="Reason">Why it is not worked: weekend, holiday, transferred day off or Presidential non-working day.</param>
public readonly record struct SkippedDay(LocalDate Date, DayKind Reason);
