using NodaTime;
using Reglament.Mail;

namespace Reglament.Sla;

/// <summary>Times for people in the support's own zone (<c>Sla:TimeZone</c>, the zone the working hours are read in):
/// deadlines in mails and pages, and "today" where a date is checked or stamped. One place, so that an operator
/// outside Moscow never sees Moscow times labelled as theirs.</summary>
public sealed class SupportTime(ResponseDeadlines deadlines)
{
    public DateTimeZone Zone => deadlines.Timeline.Schedule.Zone;

    /// <summary>«23.04.2024 14:00 (МСК, UTC+03)»; a dash for no time.</summary>
    public string Show(Instant? instant) => instant is { } i ? ReplyTexts.Time(i, Zone) : "—";

    /// <summary>The same in a page's language (<see cref="Web.PageLanguage"/>).</summary>
    public string ShowIn(Instant? instant, System.Globalization.CultureInfo culture) => instant is { } i ? ReplyTexts.TimeIn(i, Zone, culture) : "—";

    /// <summary>The support's date at <paramref name="now"/>.</summary>
    public LocalDate Today(Instant now) => now.InZone(Zone).Date;
}
