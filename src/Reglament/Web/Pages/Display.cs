using NodaTime;

namespace Reglament.Web.Pages;

/// <summary>How the pages show reasons, confidences and working time left; the words of domain values come from
/// <see cref="DomainText"/> and times from <see cref="PageLanguage.Time"/>, in the support's zone.</summary>
public static class Display
{
    /// <summary>Each reason of a set, in clause order.</summary>
    public static IEnumerable<Tickets.RefusalReasons> EachReason(Tickets.RefusalReasons reasons) =>
        Enum.GetValues<Tickets.RefusalReasons>().Where(r => r != Tickets.RefusalReasons.None && reasons.HasFlag(r));

    /// <summary>A confidence (0–1) as the pages show it: 0.55.</summary>
    public static string Confidence(double? value) => value is { } v ? Policy.RefusalReview.Number(v) : "—";

    /// <summary>Working time left to the deadline, in the words of the regulation's working hours: Russian for the
    /// cell, English for its tooltip. Empty when the clock does not run (answered, refused, no deadline).</summary>
    public static (string Russian, string English) Countdown(Sla.ResponseDeadlines deadlines, Tickets.Ticket ticket, Instant now)
    {
        if (ticket.ResponseDeadline is not { } due || ticket.FirstRespondedAt is not null || ticket.Status == Tickets.TicketStatus.Refused)
            return ("", "");
        if (due > now)
        {
            var left = deadlines.Timeline.Between(now, due);
            return ($"осталось {Span(left, "ч", "мин")} рабочего времени", $"{Span(left, "h", "min")} of working time left");
        }
        var over = deadlines.Timeline.Between(due, now);
        return ($"просрочено на {Span(over, "ч", "мин")} рабочего времени", $"overdue by {Span(over, "h", "min")} of working time");
    }

    /// <summary>A working-time span, «2 ч 10 мин» / «2 h 10 min» (the reports' response times).</summary>
    public static (string Russian, string English) Working(Duration span) => (Span(span, "ч", "мин"), Span(span, "h", "min"));

    private static string Span(Duration d, string hours, string minutes) => (int)d.TotalHours switch
    {
        0 => $"{d.Minutes} {minutes}",
        var h when d.Minutes == 0 => $"{h} {hours}",
        var h => $"{h} {hours} {d.Minutes} {minutes}",
    };
}
