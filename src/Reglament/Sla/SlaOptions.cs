using NodaTime;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>The promise: response targets per criticality in working time, and the working schedule (R1, R12).</summary>
public sealed class SlaOptions
{
    public int CriticalMinutes { get; set; } = (int)Criticality.Critical.DefaultTarget().TotalMinutes;
    public int UrgentMinutes { get; set; } = (int)Criticality.Urgent.DefaultTarget().TotalMinutes;
    public int NormalMinutes { get; set; } = (int)Criticality.Normal.DefaultTarget().TotalMinutes;
    public int LowMinutes { get; set; } = (int)Criticality.Low.DefaultTarget().TotalMinutes;

    /// <summary>Start of working hours, local time "HH:mm".</summary>
    public string WorkdayStart { get; set; } = "07:00";

    /// <summary>End of working hours (exclusive), local time "HH:mm".</summary>
    public string WorkdayEnd { get; set; } = "17:00";

    /// <summary>TZDB zone the hours are read in.</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";

    /// <summary>Whether shortened pre-holiday days end an hour early; off by default.</summary>
    public bool ShortenPreHolidayDays { get; set; }

    /// <summary>Whether the Presidential non-working days of 2020–2021 count as days off; off by default,
    /// because the regulation names the Government's calendar.</summary>
    public bool PresidentialDaysOff { get; set; }

    /// <summary>Share of the working time after which a ticket is at risk and the engineers on duty are warned.</summary>
    public double AtRiskFraction { get; set; } = 0.75;

    /// <summary>Whether an automatic refusal counts as the response the deadline asks for (the subscriber got an
    /// answer under the regulation). An acknowledgement never counts.</summary>
    public bool RefusalCountsAsResponse { get; set; } = true;

    /// <summary>Engineers on duty: they get at-risk warnings and breaches by e-mail (through the outbox).</summary>
    public List<string> DutyEngineers { get; set; } = [];

    /// <summary>Supervisors: breaches are escalated to them.</summary>
    public List<string> Supervisors { get; set; } = [];

    /// <summary>The watcher re-reads the queue at least this often, for tickets another node created.</summary>
    public int WatcherMaxSleepSeconds { get; set; } = 300;

    public Duration Target(Criticality criticality) => Duration.FromMinutes(criticality switch
    {
        Criticality.Critical => CriticalMinutes,
        Criticality.Urgent => UrgentMinutes,
        Criticality.Normal => NormalMinutes,
        Criticality.Low => LowMinutes,
    });
}
