using NodaTime;

namespace Reglament.WorkingTime;

/// <summary>The hours worked on a working day and the time zone they are read in.</summary>
/// <remarks>Working hours are the half-open interval [<see cref="Start"/>, <see cref="End"/>) of local time.</remarks>
public sealed record WorkSchedule
{
    /// <summary>07:00–17:00 Moscow time, shortened days not shortened.</summary>
    public static WorkSchedule Default { get; } = new();

    /// <summary>Local time working hours start; whole minutes. Default 07:00.</summary>
    public LocalTime Start { get; init; } = new(7, 0);

    /// <summary>Local time working hours end (exclusive); whole minutes, after <see cref="Start"/>. Default 17:00.</summary>
    public LocalTime End { get; init; } = new(17, 0);

    /// <summary>The zone local times are read in. Default <c>Europe/Moscow</c> from TZDB.</summary>
    public DateTimeZone Zone { get; init; } = DateTimeZoneProviders.Tzdb["Europe/Moscow"];

    /// <summary>
    /// Whether a shortened pre-holiday day ends an hour earlier. Off by default: the support desk works its
    /// full hours on those days; the shortening is the employees' working-time norm, not the service hours.
    /// </summary>
    public bool ShortenPreHolidayDays { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Start:HH:mm}–{End:HH:mm} {Zone.Id}{(ShortenPreHolidayDays ? ", shortened days end an hour early" : "")}";
}
