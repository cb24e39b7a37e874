using NodaTime;
using NodaTime.Text;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Sla;

/// <summary>A ticket's response deadline, when to warn that it is at risk, and whether it rests on a calendar year
/// not yet confirmed by decree.</summary>
public sealed record ResponseDeadline(Instant Due, Instant AtRiskAt, bool Provisional, string CalendarVersion);

/// <summary>Response deadlines for tickets: the criticality's target added to the receipt time in support working
/// time, on the Russian production calendar (see <see cref="WorkingTimeline"/>).</summary>
/// <remarks>A deadline is a pure function of receipt time, criticality and calendar version, so it can be recomputed
/// and checked at any time. Importing a calendar year swaps the timeline (<see cref="Use"/>).</remarks>
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

    public ResponseDeadline Compute(Instant received, Criticality criticality)
    {
        var current = timeline;
        var target = options.Target(criticality);
        var explanation = current.Explain(received, target);
        var atRisk = current.Add(received, Duration.FromTicks((long)(target.BclCompatibleTicks * Math.Clamp(options.AtRiskFraction, 0, 1))));
        return new ResponseDeadline(explanation.Deadline, atRisk, explanation.IsProvisional, explanation.CalendarVersion);
    }

    public DeadlineExplanation Explain(Instant received, Criticality criticality) => timeline.Explain(received, options.Target(criticality));

    private static LocalTime ParseTime(string value, string name) =>
        LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(value) is { Success: true } result
            ? result.Value
            : throw new InvalidOperationException($"Sla:{name} '{value}' is not a time like 07:00.");
}
