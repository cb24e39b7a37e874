using NodaTime;
using NodaTime.Text;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>The support working time the desk counts deadlines in: the configured schedule (R1) on the Russian
/// production calendar (see <see cref="WorkingTimeline"/>), shared by every node's clock readings.</summary>
/// <remarks>Deadlines themselves are read from a ticket's events by <see cref="SlaClock"/>. Importing a calendar year
/// swaps the timeline (<see cref="Use"/>); readings after that use the new year.</remarks>
public sealed class ResponseDeadlines(WorkingTimeline timeline, SlaOptions options)
{
    private volatile WorkingTimeline timeline = timeline;

    public WorkingTimeline Timeline => timeline;

    public SlaOptions Options => options;

    /// <summary>Uses a new calendar (an imported year) from now on, with the same schedule.</summary>
    public void Use(ProductionCalendar calendar) =>
        timeline = new WorkingTimeline(calendar.WithPresidentialDaysOff(options.PresidentialDaysOff), timeline.Schedule);

    public static ResponseDeadlines Create(SlaOptions options)
    {
        var schedule = new WorkSchedule
        {
            Start = ParseTime(options.WorkdayStart, nameof(options.WorkdayStart)),
            End = ParseTime(options.WorkdayEnd, nameof(options.WorkdayEnd)),
            Zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone) ?? throw new InvalidOperationException($"Sla:TimeZone '{options.TimeZone}' is not a TZDB zone."),
            ShortenPreHolidayDays = options.ShortenPreHolidayDays,
        };
        var calendar = ProductionCalendar.Russia.WithPresidentialDaysOff(options.PresidentialDaysOff);
        return new ResponseDeadlines(new WorkingTimeline(calendar, schedule), options);
    }

    private static LocalTime ParseTime(string value, string name) =>
        LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(value) is { Success: true } result
            ? result.Value
            : throw new InvalidOperationException($"Sla:{name} '{value}' is not a time like 07:00.");
}
