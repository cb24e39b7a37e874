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
    private static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];
    private static readonly ZonedDateTimePattern MoscowTime = ZonedDateTimePattern.CreateWithInvariantCulture("dd.MM.uuuu HH:mm '(МСК, UTC'o<+HH>')'", null);

    public static string Get(string name, CultureInfo culture) =>
        Resources.GetString(name, culture) ?? throw new InvalidOperationException($"Missing reply text '{name}'.");

    public static string Format(string name, CultureInfo culture, params object[] args) =>
        string.Format(culture, Get(name, culture), args);

    /// <summary>A deadline as a subscriber reads it: Moscow time with its offset.</summary>
    public static string MoscowDeadline(Instant instant) => MoscowTime.Format(instant.InZone(Moscow));

    public static string Criticality(Criticality criticality, CultureInfo culture) => Get("Criticality_" + criticality, culture);

    /// <summary>Russian, a separator, English, a signature in each.</summary>
    public static string Bilingual(Func<CultureInfo, string> body) =>
        $"{body(Russian)}\n\n{Get("Signature", Russian)}\n\n{Get("Separator", Russian)}\n\n{body(English)}\n\n{Get("Signature", English)}\n";
}
