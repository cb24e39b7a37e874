using NodaTime;

namespace Reglament.WorkingTime;

/// <summary>One year of the production calendar, in the shape of the project's JSON.</summary>
internal sealed record CalendarYear(
    int Year,
    YearStatus Status,
    IReadOnlySet<LocalDate> DaysOff,
    IReadOnlySet<LocalDate> WorkingWeekendDays,
    IReadOnlySet<LocalDate> Shortened,
    IReadOnlySet<LocalDate> HolidaysOnWeekends,
    IReadOnlyDictionary<LocalDate, string> PresidentialDays,
    string? Sources)
{
    /// <summary>Labor Code art. 112 holidays as (month, day).</summary>
    private static readonly (int Month, int Day)[] FixedHolidays =
    [
        (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
        (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
    ];

    public static bool IsFixedHoliday(LocalDate date) => FixedHolidays.Contains((date.Month, date.Day));

    private static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    public DayKind KindOf(LocalDate date, bool presidentialDaysOff)
    {
        bool weekend = IsWeekend(date);
        bool working = weekend ? WorkingWeekendDays.Contains(date) : !DaysOff.Contains(date);
        if (!working)
            return IsFixedHoliday(date) ? DayKind.Holiday : weekend ? DayKind.Weekend : DayKind.TransferredDayOff;
        if (presidentialDaysOff && PresidentialDays.ContainsKey(date))
            return DayKind.PresidentialNonWorkingDay;
        return Shortened.Contains(date) ? DayKind.ShortenedWorkingDay : DayKind.WorkingDay;
    }

    /// <summary>The Government calendar's yearly norm: working days and hours of a 40-hour week (8 h a day, 7 h on a shortened day).</summary>
    public (int WorkingDays, int Hours40) Totals()
    {
        int days = 0, hours = 0;
        for (var date = new LocalDate(Year, 1, 1); date.Year == Year; date = date.PlusDays(1))
        {
            switch (KindOf(date, presidentialDaysOff: false))
            {
                case DayKind.WorkingDay: days++; hours += 8; break;
                case DayKind.ShortenedWorkingDay: days++; hours += 7; break;
                default: break;
            }
        }
        return (days, hours);
    }

    /// <summary>
    /// A year the calendar does not know: the art. 112 holidays and ordinary weekends. A holiday that falls on
    /// Saturday or Sunday moves to the next working day (art. 112 part 2), except the January ones, whose moves
    /// are set by each year's decree and cannot be foreseen. The working day before a holiday is shortened (art. 95).
    /// </summary>
    public static CalendarYear Fallback(int year)
    {
        var holidays = FixedHolidays.Select(h => new LocalDate(year, h.Month, h.Day)).ToList();
        var off = new HashSet<LocalDate>(holidays);
        foreach (var holiday in holidays.Where(h => h.Month > 1 && IsWeekend(h)))
        {
            var moved = holiday.PlusDays(1);
            while (IsWeekend(moved) || off.Contains(moved))
                moved = moved.PlusDays(1);
            off.Add(moved);
        }
        var shortened = holidays.Append(new LocalDate(year + 1, 1, 1))
            .Select(h => h.PlusDays(-1))
            .Where(d => d.Year == year && !IsWeekend(d) && !off.Contains(d));
        return new CalendarYear(
            year,
            YearStatus.Unknown,
            off.Where(d => !IsWeekend(d)).ToHashSet(),
            new HashSet<LocalDate>(),
            shortened.ToHashSet(),
            holidays.Where(IsWeekend).ToHashSet(),
            new Dictionary<LocalDate, string>(),
            "Labor Code art. 112 fixed holidays and weekends only (no calendar data for this year)");
    }
}
