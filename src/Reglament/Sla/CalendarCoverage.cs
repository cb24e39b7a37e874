using NodaTime;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>Whether the calendar covers the years deadlines are about to need: the current year, and from
/// 1 October the next one too (the Government usually publishes the next year's decree in the autumn).</summary>
public static class CalendarCoverage
{
    public static IReadOnlyList<(int Year, YearStatus Status)> Check(ProductionCalendar calendar, LocalDate today) =>
        [.. (today.Month >= 10 ? new[] { today.Year, today.Year + 1 } : [today.Year]).Select(y => (y, calendar.StatusOf(y)))];

    public static IReadOnlyList<(int Year, YearStatus Status)> Check(ResponseDeadlines deadlines, Instant now) =>
        Check(deadlines.Timeline.Calendar, now.InZone(deadlines.Timeline.Schedule.Zone).Date);
}
