using NodaTime;

namespace Reglament.WorkingTime;

/// <summary>What kind of day a date is in the production calendar.</summary>
public enum DayKind
{
    /// <summary>An ordinary working day, including a Saturday or Sunday made working by transfer.</summary>
    WorkingDay,

    /// <summary>A pre-holiday working day shortened by one hour (Labor Code art. 95).</summary>
    ShortenedWorkingDay,

    /// <summary>A Saturday or Sunday that is not a working day.</summary>
    Weekend,

    /// <summary>A public holiday of Labor Code art. 112 (1–8 Jan, 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun, 4 Nov), on any day of the week.</summary>
    Holiday,

    /// <summary>A Monday–Friday made a day off by a Government decree or by art. 112 part 2 (a weekend holiday moved).</summary>
    TransferredDayOff,

    /// <summary>A weekday declared non-working by Presidential decree (2020–2021); only when the calendar treats those as days off.</summary>
    PresidentialNonWorkingDay,
}

/// <summary>How far the calendar data for a year can be trusted.</summary>
/// <remarks>Ordered from best to worst, so the worst status of several days is their maximum.</remarks>
public enum YearStatus
{
    /// <summary>Published by the Government and checked against independent sources.</summary>
    Verified,

    /// <summary>Known, but from a single or preliminary source: deadlines that depend on it may change.</summary>
    Provisional,

    /// <summary>Not in the calendar: derived from the fixed Labor Code holidays and ordinary weekends only.</summary>
    Unknown,
}

/// <summary>One date of the production calendar.</summary>
/// <param name="Date">The calendar date.</param>
/// <param name="Kind">Whether and how the date is worked.</param>
/// <param name="YearStatus">How trustworthy the data for the date's year is.</param>
public readonly record struct CalendarDay(LocalDate Date, DayKind Kind, YearStatus YearStatus)
{
    /// <summary>Whether the date is a working day (ordinary or shortened).</summary>
    public bool IsWorkingDay => Kind is DayKind.WorkingDay or DayKind.ShortenedWorkingDay;
}
