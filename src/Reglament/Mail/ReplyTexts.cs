using System.Globalization;
using System.Resources;
using NodaTime;
using NodaTime.Text;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>The texts of automatic replies, from resources: Russian first, then English, in one message,
/// because a subscriber's language is not known from an e-mail.</summary>
public static class ReplyTexts
{
    private static readonly ResourceManager Resources = new("Reglament.Mail.Replies", typeof(ReplyTexts).Assembly);
    public static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly LocalDateTimePattern LocalTime = LocalDateTimePattern.CreateWithInvariantCulture("dd.MM.uuuu HH:mm");
    private static readonly OffsetPattern WholeHours = OffsetPattern.CreateWithInvariantCulture("+HH");
    private static readonly OffsetPattern HoursAndMinutes = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    /// <summary>The regulation's zone (R1), the default of <c>Sla:TimeZone</c>; the template previews' sample time.</summary>
    public static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];

    public static string Get(string name, CultureInfo culture) =>
        Resources.GetString(name, culture) ?? throw new InvalidOperationException($"Missing reply text '{name}'.");

    public static string Format(string name, CultureInfo culture, params object[] args) =>
        string.Format(culture, Get(name, culture), args);

    /// <summary>A time as a subscriber reads it, in the support's zone (<c>Sla:TimeZone</c>, see <see cref="Sla.SupportTime"/>)
    /// with the zone and its offset: «23.04.2024 14:00 (МСК, UTC+03)», «23.04.2024 16:00 (Asia/Yekaterinburg, UTC+05)».
    /// The offset is written because the zone's name alone does not say which offset applied in a past year.</summary>
    public static string Time(Instant instant, DateTimeZone zone) => TimeIn(instant, zone, Russian);

    /// <summary>The same in a page's language: Moscow is «МСК» in Russian and «MSK» in English; the date stays
    /// day.month.year, as the regulation and the mails write it.</summary>
    public static string TimeIn(Instant instant, DateTimeZone zone, CultureInfo culture)
    {
        var zoned = instant.InZone(zone);
        var offset = zoned.Offset;
        var label = zone.Id == Moscow.Id ? (culture.TwoLetterISOLanguageName == "en" ? "MSK" : "МСК") : zone.Id;
        var written = (offset.Seconds % 3600 == 0 ? WholeHours : HoursAndMinutes).Format(offset);
        return $"{LocalTime.Format(zoned.LocalDateTime)} ({label}, UTC{written})";
    }

    public static string Criticality(Criticality criticality, CultureInfo culture) => Get("Criticality_" + criticality, culture);

    /// <summary>Russian, a separator, English, a signature in each.</summary>
    public static string Bilingual(Func<CultureInfo, string> body) =>
        $"{body(Russian)}\n\n{Get("Signature", Russian)}\n\n{Get("Separator", Russian)}\n\n{body(English)}\n\n{Get("Signature", English)}\n";
}
