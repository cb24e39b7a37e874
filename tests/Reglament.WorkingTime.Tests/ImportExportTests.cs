using System.Text.Json.Nodes;
using NodaTime;
using Xunit;
using static Reglament.WorkingTime.Tests.Moscow;

namespace Reglament.WorkingTime.Tests;

public sealed class ImportExportTests
{
    private static readonly ProductionCalendar Russia = ProductionCalendar.Russia;

    /// <summary>xmlcalendar ru/2024/calendar.xml as published (dated 2023.09.02): working Saturdays only implied by f="…".</summary>
    private const string Xml2024 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <calendar year="2024" lang="ru" date="2023.09.02">
            <holidays>
                <holiday id="1" title="Новогодние каникулы"/>
                <holiday id="2" title="Рождество Христово"/>
                <holiday id="3" title="День защитника Отечества"/>
                <holiday id="4" title="Международный женский день"/>
                <holiday id="5" title="Праздник Весны и Труда"/>
                <holiday id="6" title="День Победы"/>
                <holiday id="7" title="День России"/>
                <holiday id="8" title="День народного единства"/>
            </holidays>
            <days>
                <day d="01.01" t="1" h="1"/>
                <day d="01.02" t="1" h="1"/>
                <day d="01.03" t="1" h="1"/>
                <day d="01.04" t="1" h="1"/>
                <day d="01.05" t="1" h="1"/>
                <day d="01.06" t="1" h="1"/>
                <day d="01.07" t="1" h="2"/>
                <day d="01.08" t="1" h="1"/>
                <day d="02.22" t="2"/>
                <day d="02.23" t="1" h="3"/>
                <day d="03.07" t="2"/>
                <day d="03.08" t="1" h="4"/>
                <day d="04.29" t="1" f="04.27"/>
                <day d="04.30" t="1" f="11.02"/>
                <day d="05.01" t="1" h="5"/>
                <day d="05.08" t="2"/>
                <day d="05.09" t="1" h="6"/>
                <day d="05.10" t="1" f="01.06"/>
                <day d="06.11" t="2"/>
                <day d="06.12" t="1" h="7"/>
                <day d="11.02" t="2"/>
                <day d="11.04" t="1" h="8"/>
                <day d="12.30" t="1" f="12.28"/>
                <day d="12.31" t="1" f="01.07"/>
            </days>
        </calendar>
        """;

    /// <summary>The later form of the same file, which marks the working Saturdays t="3".</summary>
    private static readonly string Xml2024WithWorkingDays = Xml2024
        .Replace("""<day d="04.29" """, """<day d="04.27" t="3"/><day d="04.29" """, StringComparison.Ordinal)
        .Replace("""<day d="12.30" """, """<day d="12.28" t="3"/><day d="12.30" """, StringComparison.Ordinal);

    private static IEnumerable<LocalDate> DaysOf(int year)
    {
        for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
            yield return date;
    }

    private static void AssertSameDays(ProductionCalendar expected, ProductionCalendar actual, int year) =>
        Assert.Equal(DaysOf(year).Select(expected.GetDay), DaysOf(year).Select(actual.GetDay));

    [Fact]
    public void Json_RoundTripsTheWholeCalendar()
    {
        string json = Russia.ToJson();
        var reread = ProductionCalendar.FromJson(json);

        Assert.Equal(Russia.Version, reread.Version);
        Assert.Equal(Russia.KnownYears, reread.KnownYears);
        Assert.Equal(Russia.ProvisionalYears, reread.ProvisionalYears);
        foreach (int year in Russia.KnownYears)
            AssertSameDays(Russia, reread, year);
        Assert.Equal(json, reread.ToJson());
    }

    [Fact]
    public void Json_ExportOfTheEmbeddedCalendar_EqualsTheEmbeddedFile()
    {
        using var stream = typeof(ProductionCalendar).Assembly.GetManifestResourceStream("Reglament.WorkingTime.ru-production-calendar.json")!;
        var embedded = JsonNode.Parse(stream)!;
        var exported = JsonNode.Parse(Russia.ToJson())!;

        Assert.True(JsonNode.DeepEquals(embedded["years"], exported["years"]));
        Assert.True(JsonNode.DeepEquals(embedded["coverage"], exported["coverage"]));
    }

    [Fact]
    public void Json_ExportOfOneYear_HasTheProjectShape()
    {
        string json = Russia.ToJson(2024);
        Assert.Contains("\"transferred_workdays\": [", json, StringComparison.Ordinal);
        Assert.Contains("\"2024-04-27\"", json, StringComparison.Ordinal);
        Assert.Contains("\"working_days\": 248", json, StringComparison.Ordinal);
        Assert.Contains("\"hours_40h_week\": 1979", json, StringComparison.Ordinal);
        Assert.Equal([2024], ProductionCalendar.FromJson(json).KnownYears);
        Assert.Throws<ArgumentOutOfRangeException>(() => Russia.ToJson(2099));
    }

    [Fact]
    public void JsonImport_ReplacesTheYearInANewCalendar()
    {
        // The December 2025 draft for 2027: 4–7 Nov off, Saturday 13 Nov working.
        const string draft = """
            {"years": {"2027": {
              "holidays": ["2027-01-01", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08",
                           "2027-02-22", "2027-02-23", "2027-03-08", "2027-05-03", "2027-05-10", "2027-06-14",
                           "2027-11-04", "2027-11-05"],
              "transferred_workdays": ["2027-11-13"],
              "status": "provisional"}}}
            """;
        var imported = Russia.ImportJson(draft);

        Assert.True(imported.GetDay(Date("2027-11-13")).IsWorkingDay);
        Assert.False(Russia.GetDay(Date("2027-11-13")).IsWorkingDay);
        Assert.Equal(DayKind.WorkingDay, imported.GetDay(Date("2027-12-31")).Kind);
        Assert.Equal(YearStatus.Provisional, imported.StatusOf(2027));
        Assert.NotEqual(Russia.Version, imported.Version);
        AssertSameDays(Russia, imported, 2026);
    }

    [Fact]
    public void XmlImport_Of2024_GivesTheOfficialYear()
    {
        var withoutUs = ProductionCalendar.FromJson(Russia.ToJson(2023));

        foreach (string xml in new[] { Xml2024, Xml2024WithWorkingDays })
        {
            var imported = withoutUs.ImportXml(xml);
            Assert.Equal([2023, 2024], imported.KnownYears);
            AssertSameDays(Russia, imported, 2024);
        }
    }

    [Fact]
    public void XmlImport_ReplacesTheYearAndRoundTripsThroughJson()
    {
        string xml = Xml2024.Replace("""<day d="05.08" t="2"/>""", """<day d="05.08" t="1"/>""", StringComparison.Ordinal);
        var imported = Russia.ImportXml(xml, provisional: true);

        Assert.Equal(DayKind.TransferredDayOff, imported.GetDay(Date("2024-05-08")).Kind);
        Assert.Equal(DayKind.ShortenedWorkingDay, Russia.GetDay(Date("2024-05-08")).Kind);
        Assert.Equal(YearStatus.Provisional, imported.StatusOf(2024));
        Assert.Equal([2024, 2027], imported.ProvisionalYears);

        var reread = ProductionCalendar.FromJson(imported.ToJson());
        Assert.Equal(imported.Version, reread.Version);
        AssertSameDays(imported, reread, 2024);
    }

    [Fact]
    public void XmlImport_KeepsPresidentialDaysApart()
    {
        const string xml = """
            <calendar year="2021" lang="ru" date="2021.10.21">
              <holidays>
                <holiday id="1" title="Новогодние каникулы"/>
                <holiday id="9" title="Нерабочие дни (Указ Президента от 20.10.2021 №595)"/>
              </holidays>
              <days>
                <day d="01.01" t="1" h="1"/>
                <day d="11.01" t="1" h="9"/>
                <day d="11.02" t="1" h="9"/>
              </days>
            </calendar>
            """;
        var imported = Russia.ImportXml(xml);

        Assert.Equal(DayKind.WorkingDay, imported.GetDay(Date("2021-11-01")).Kind);
        Assert.Equal(DayKind.PresidentialNonWorkingDay, imported.WithPresidentialDaysOff().GetDay(Date("2021-11-02")).Kind);
        Assert.Contains("Указ Президента", imported.ToJson(2021), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<calendar year=\"2024\"><days><day d=\"01.01\" t=\"1\"/>")] // not well-formed
    [InlineData("<calendar><days/></calendar>")] // no year
    [InlineData("<kalender year=\"2024\"/>")]
    [InlineData("<calendar year=\"2024\"><days><day d=\"13.01\" t=\"1\"/></days></calendar>")]
    [InlineData("<calendar year=\"2023\"><days><day d=\"02.29\" t=\"1\"/></days></calendar>")]
    [InlineData("<calendar year=\"2024\"><days><day d=\"01.01\" t=\"7\"/></days></calendar>")]
    [InlineData("<!DOCTYPE calendar [<!ENTITY x \"y\">]><calendar year=\"2024\"/>")]
    public void BadXml_IsACalendarFormatException(string xml) =>
        Assert.Throws<CalendarFormatException>(() => Russia.ImportXml(xml));

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"years": {}}""")]
    [InlineData("""{"years": {"twenty": {}}}""")]
    [InlineData("""{"years": {"2024": {"holidays": ["2025-01-01"]}}}""")] // a date of another year
    [InlineData("""{"years": {"2024": {"holidays": ["2024-13-01"]}}}""")]
    [InlineData("""{"years": {"2024": {"holidays": "2024-01-01"}}}""")]
    [InlineData("""{"years": {"2024": {"working_days": 250}}}""")] // contradicts its own lists (262 weekdays)
    public void BadJson_IsACalendarFormatException(string json) =>
        Assert.Throws<CalendarFormatException>(() => Russia.ImportJson(json));

    [Fact]
    public void JsonWhoseTotalsContradictTheLists_IsRejectedWithTheNumbers()
    {
        string json = Russia.ToJson(2024).Replace("\"working_days\": 248", "\"working_days\": 247", StringComparison.Ordinal);
        var error = Assert.Throws<CalendarFormatException>(() => ProductionCalendar.FromJson(json));
        Assert.Contains("2024", error.Message, StringComparison.Ordinal);
        Assert.Contains("248", error.Message, StringComparison.Ordinal);
    }
}
