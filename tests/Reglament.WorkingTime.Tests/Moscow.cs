using NodaTime;
using NodaTime.Text;

namespace Reglament.WorkingTime.Tests;

/// <summary>Shorthands shared by the tests.</summary>
internal static class Moscow
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Moscow"];

    public static readonly WorkingTimeline Timeline = new(ProductionCalendar.Russia);

    /// <summary>An instant written with its offset, e.g. "2024-04-26T16:30:00+03:00" or "…Z".</summary>
    public static Instant At(string text) => OffsetDateTimePattern.ExtendedIso.Parse(text).GetValueOrThrow().ToInstant();

    public static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    public static string Local(Instant instant) =>
        OffsetDateTimePattern.ExtendedIso.Format(instant.InZone(Zone).ToOffsetDateTime());
}
