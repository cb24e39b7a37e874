using System.Xml;
using System.Xml.Linq;
using NodaTime;
using NodaTime.Text;

namespace Reglament.WorkingTime;

/// <summary>
/// The xmlcalendar format: <c>&lt;calendar year="2025"&gt;&lt;holidays&gt;…&lt;/holidays&gt;&lt;days&gt;&lt;day d="MM.DD" t="1|2|3" h="…" f="MM.DD"/&gt;…</c>
/// with t=1 a day off, t=2 a shortened working day, t=3 a working day.
/// </summary>
internal static class CalendarXml
{
    public static CalendarYear Read(string xml, YearStatus status)
    {
        XElement root;
        try
        {
            // No DTDs: a calendar needs none, and entity expansion is an attack surface.
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            root = XDocument.Load(reader).Root!;
        }
        catch (XmlException e)
        {
            throw new CalendarFormatException($"Not a well-formed xmlcalendar document: {e.Message}", e);
        }
        if (root.Name != "calendar" || !int.TryParse((string?)root.Attribute("year"), out int year) || year is < 1900 or > 2200)
            throw new CalendarFormatException("Expected <calendar year=\"yyyy\"> as the root element.");

        // Holidays whose title names a Presidential decree (2020–2021) are kept apart, as in the project's JSON.
        var presidentialIds = (root.Element("holidays")?.Elements("holiday") ?? [])
            .Select(h => (Id: (string?)h.Attribute("id"), Title: (string?)h.Attribute("title")))
            .Where(h => h.Id is not null && NamesPresidentialDecree(h.Title))
            .DistinctBy(h => h.Id)
            .ToDictionary(h => h.Id!, h => h.Title!);

        var days = (root.Element("days")?.Elements("day") ?? []).Select(d => (
            Date: ParseDay((string?)d.Attribute("d"), year),
            Type: (string?)d.Attribute("t"),
            Holiday: (string?)d.Attribute("h") ?? "",
            From: (string?)d.Attribute("f"))).ToList();

        var daysOff = new HashSet<LocalDate>();
        var workingWeekend = new HashSet<LocalDate>();
        var shortened = new HashSet<LocalDate>();
        var onWeekends = new HashSet<LocalDate>();
        var presidential = new Dictionary<LocalDate, string>();
        foreach (var day in days)
        {
            bool weekend = day.Date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
            switch (day.Type)
            {
                case "1" when presidentialIds.TryGetValue(day.Holiday, out var decree):
                    presidential[day.Date] = decree;
                    break;
                case "1" when weekend:
                    if (CalendarYear.IsFixedHoliday(day.Date))
                        onWeekends.Add(day.Date);
                    break;
                case "1":
                    daysOff.Add(day.Date);
                    break;
                case "2":
                    shortened.Add(day.Date);
                    if (weekend)
                        workingWeekend.Add(day.Date);
                    break;
                case "3":
                    workingWeekend.Add(day.Date);
                    break;
                default:
                    throw new CalendarFormatException($"{year}: day {day.Date} has type t=\"{day.Type}\"; expected 1, 2 or 3.");
            }
        }

        // Older files omit t="3" and only say where a day off came from (f="MM.DD"): a weekend day that is the
        // source of a transfer and not itself a day off was made a working day.
        var listedOff = days.Where(d => d.Type == "1").Select(d => d.Date).ToHashSet();
        foreach (var from in days.Where(d => d.From is not null).Select(d => ParseDay(d.From, year)))
        {
            if (from.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday && !listedOff.Contains(from))
                workingWeekend.Add(from);
        }

        return new CalendarYear(year, status, daysOff, workingWeekend, shortened, onWeekends, presidential,
            $"xmlcalendar XML dated {(string?)root.Attribute("date") ?? "(no date)"}");
    }

    private static LocalDate ParseDay(string? text, int year)
    {
        var parsed = LocalDatePattern.CreateWithInvariantCulture("MM'.'dd")
            .WithTemplateValue(new LocalDate(year, 1, 1))
            .Parse(text ?? "");
        return parsed.Success
            ? parsed.Value
            : throw new CalendarFormatException($"{year}: \"{text}\" is not a day of the year (MM.DD).");
    }

    private static bool NamesPresidentialDecree(string? title) =>
        title is not null
        && (title.Contains("Президент", StringComparison.Ordinal) || title.Contains("President", StringComparison.Ordinal));
}
