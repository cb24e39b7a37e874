using NodaTime;
using Reglament.Mail;

namespace Reglament.Web.Pages;

/// <summary>How the pages show times: Moscow time with its zone, as the regulation counts it.</summary>
public static class Display
{
    public static string Moscow(Instant? instant) => instant is { } i ? ReplyTexts.MoscowDeadline(i) : "—";

    /// <summary>An SLA state in words, Russian and English; the colour comes from the <c>sla-STATE</c> class.</summary>
    public static (string Russian, string English) SlaText(Sla.SlaState state) => state switch
    {
        Sla.SlaState.OnTrack => ("в срок", "on track"),
        Sla.SlaState.AtRisk => ("под угрозой", "at risk"),
        Sla.SlaState.Breached => ("нарушен", "breached"),
        Sla.SlaState.Met => ("выполнен", "met"),
    };

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

    private static string Span(Duration d, string hours, string minutes) => (int)d.TotalHours switch
    {
        0 => $"{d.Minutes} {minutes}",
        var h when d.Minutes == 0 => $"{h} {hours}",
        var h => $"{h} {hours} {d.Minutes} {minutes}",
    };
}
