using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Reglament.WorkingTime;

/// <summary>
/// The Russian production calendar (5-day week): which dates are working days, days off and shortened days.
/// Immutable: importing a year or changing an option returns a new calendar.
/// </summary>
/// <remarks>
/// Years the calendar holds are <see cref="KnownYears"/>; any other year is answered from the Labor Code
/// art. 112 holidays and ordinary weekends and reported as <see cref="YearStatus.Unknown"/>.
/// </remarks>
public sealed class ProductionCalendar
{
    private static readonly Lazy<ProductionCalendar> EmbeddedRussia = new(LoadEmbedded);

    private readonly SortedDictionary<int, CalendarYear> years;

    private ProductionCalendar(IEnumerable<CalendarYear> years, bool presidentialDaysOff)
    {
        this.years = new SortedDictionary<int, CalendarYear>(years.ToDictionary(y => y.Year));
        PresidentialDaysOff = presidentialDaysOff;
        KnownYears = [.. this.years.Keys];
        ProvisionalYears = [.. this.years.Values.Where(y => y.Status == YearStatus.Provisional).Select(y => y.Year)];
        Version = ComputeVersion();
    }

    /// <summary>The official calendar shipped with the library: 2010–2026 verified, 2027 provisional.</summary>
    public static ProductionCalendar Russia => EmbeddedRussia.Value;

    /// <summary>
    /// Whether the Presidential non-working days of 2020–2021 are days off. Off by default: the regulation
    /// refers to the Government calendar, in which they are ordinary working days.
    /// </summary>
    public bool PresidentialDaysOff { get; }

    /// <summary>The years the calendar has data for, ascending.</summary>
    public IReadOnlyList<int> KnownYears { get; }

    /// <summary>The known years whose data is provisional, ascending.</summary>
    public IReadOnlyList<int> ProvisionalYears { get; }

    /// <summary>
    /// Identifies the calendar's content, e.g. <c>2010-2027.1a2b3c4d</c>: first and last known year and a hash of
    /// every day list and status (not of the sources text), plus <c>.presidential-off</c> when that option is on.
    /// Record it next to a deadline to know which calendar computed it.
    /// </summary>
    public string Version { get; }

    /// <summary>How trustworthy the data for <paramref name="year"/> is.</summary>
    /// <param name="year">A calendar year.</param>
    public YearStatus StatusOf(int year) => years.TryGetValue(year, out var known) ? known.Status : YearStatus.Unknown;

    /// <summary>What kind of day <paramref name="date"/> is.</summary>
    /// <param name="date">An ISO calendar date.</param>
    public CalendarDay GetDay(LocalDate date)
    {
        var year = YearOf(date.Year);
        return new CalendarDay(date, year.KindOf(date, PresidentialDaysOff), year.Status);
    }

    internal CalendarYear YearOf(int year) => years.TryGetValue(year, out var known) ? known : CalendarYear.Fallback(year);

    /// <summary>Returns this calendar with Presidential non-working days treated as days off, or not.</summary>
    /// <param name="daysOff">True to make them days off.</param>
    public ProductionCalendar WithPresidentialDaysOff(bool daysOff = true) =>
        daysOff == PresidentialDaysOff ? this : new ProductionCalendar(years.Values, daysOff);

    /// <summary>Reads a calendar from the project's JSON format (the shape of Data/ru-production-calendar.json).</summary>
    /// <param name="json">A document with one or more years.</param>
    /// <exception cref="CalendarFormatException">The document is malformed, or a year's lists contradict its stored totals.</exception>
    public static ProductionCalendar FromJson(string json) => new(CalendarJson.Read(json), presidentialDaysOff: false);

    /// <summary>Returns a calendar with the years of a project-format JSON document added; each replaces the same year.</summary>
    /// <param name="json">A document with one or more years.</param>
    /// <exception cref="CalendarFormatException">The document is malformed, or a year's lists contradict its stored totals.</exception>
    public ProductionCalendar ImportJson(string json) => With(CalendarJson.Read(json));

    /// <summary>
    /// Returns a calendar with the year of an xmlcalendar document added, replacing the same year.
    /// t="1" is a day off, t="2" a shortened working day, t="3" a working day; days off whose holiday title
    /// names a Presidential decree become Presidential non-working days.
    /// </summary>
    /// <param name="xml">A <c>&lt;calendar year="…"&gt;</c> document.</param>
    /// <param name="provisional">Mark the year provisional (e.g. a draft decree or a single source).</param>
    /// <exception cref="CalendarFormatException">The document is not well-formed or not in the xmlcalendar format.</exception>
    public ProductionCalendar ImportXml(string xml, bool provisional = false) =>
        With([CalendarXml.Read(xml, provisional ? YearStatus.Provisional : YearStatus.Verified)]);

    /// <summary>Writes years in the project's JSON format, totals recomputed; all known years when none are given.</summary>
    /// <param name="years">Known years to write.</param>
    /// <exception cref="ArgumentOutOfRangeException">A year is not known.</exception>
    public string ToJson(params int[] years)
    {
        ArgumentNullException.ThrowIfNull(years);
        var unknown = years.Where(y => !this.years.ContainsKey(y)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentOutOfRangeException(nameof(years), $"The calendar has no data for {string.Join(", ", unknown)}.");
        return CalendarJson.Write(years.Length == 0 ? this.years.Values : years.Distinct().Select(y => this.years[y]));
    }

    /// <inheritdoc/>
    public override string ToString() => $"Production calendar {Version}";

    private ProductionCalendar With(IEnumerable<CalendarYear> imported)
    {
        var merged = new Dictionary<int, CalendarYear>(years);
        foreach (var year in imported)
            merged[year.Year] = year;
        return new ProductionCalendar(merged.Values, PresidentialDaysOff);
    }

    private string ComputeVersion()
    {
        var content = new StringBuilder();
        static string Join(IEnumerable<LocalDate> dates) => string.Join(",", dates.Order().Select(LocalDatePattern.Iso.Format));
        foreach (var y in years.Values)
        {
            content.Append(CultureInfo.InvariantCulture,
                $"{y.Year}:{y.Status}:{Join(y.DaysOff)}|{Join(y.WorkingWeekendDays)}|{Join(y.Shortened)}|{Join(y.PresidentialDays.Keys)};");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())))[..8];
        return $"{KnownYears[0]}-{KnownYears[^1]}.{hash}{(PresidentialDaysOff ? ".presidential-off" : "")}";
    }

    private static ProductionCalendar LoadEmbedded()
    {
        using var stream = typeof(ProductionCalendar).Assembly
            .GetManifestResourceStream("Reglament.WorkingTime.ru-production-calendar.json")!;
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }
}
