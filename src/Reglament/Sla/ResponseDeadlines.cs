using NodaTime;
using NodaTime.Text;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>A ticket's response deadline, and whether it rests on a calendar year not yet confirmed by decree.</summary>
public sealed record ResponseDeadline(Instant Due, bool Provisional, string CalendarVersion);

/// <summary>Response deadlines for tickets: the criticality's target added to the receipt time in support working
/// time, on the Russian production calendar (see <see cref="WorkingTimeline"/>).</summary>
public sealed class ResponseDeadlines(WorkingTimeline timeline, SlaOptions options)
{
    public WorkingTimeline Timeline { get; } = timeline;

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

    public ResponseDeadline Compute(Instant received, Criticality criticality)
    {
        var explanation = Explain(received, criticality);
        return new ResponseDeadline(explanation.Deadline, explanation.IsProvisional, explanation.CalendarVersion);
    }

    public DeadlineExplanation Explain(Instant received, Criticality criticality) => Timeline.Explain(received, options.Target(criticality));

    private static LocalTime ParseTime(string value, string name) =>
        LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(value) is { Success: true } result
            ? result.Value
            : throw new InvalidOperationException($"Sla:{name} '{value}' is not a time like 07:00.");
}
