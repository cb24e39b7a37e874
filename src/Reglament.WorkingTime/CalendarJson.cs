using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Reglament.WorkingTime;

/// <summary>The project's JSON format (Data/ru-production-calendar.json; see Data/README.md).</summary>
internal static class CalendarJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a data file, never HTML: keep Cyrillic and quotes readable
    };

    public static IEnumerable<CalendarYear> Read(string json)
    {
        CalendarFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CalendarFile>(json, Options);
        }
        catch (JsonException e)
        {
            throw new CalendarFormatException($"Not a production calendar JSON document: {e.Message}", e);
        }
        if (file?.Years is not { Count: > 0 } years)
            throw new CalendarFormatException("The JSON document has no \"years\".");
        var provisional = file.Coverage?.ProvisionalYears ?? [];
        return years.Select(y => ReadYear(y.Key, y.Value, provisional.Contains(y.Key))).ToList();
    }

    private static CalendarYear ReadYear(string key, YearEntry? entry, bool listedProvisional)
    {
        if (!int.TryParse(key, out int year) || year is < 1900 or > 2200 || entry is null)
            throw new CalendarFormatException($"\"{key}\" is not a year with calendar data.");
        HashSet<LocalDate> Dates(IEnumerable<string>? texts, string field) =>
            (texts ?? []).Select(t => ParseDate(t, year, field)).ToHashSet();

        var result = new CalendarYear(
            year,
            listedProvisional || entry.Status == "provisional" ? YearStatus.Provisional : YearStatus.Verified,
            Dates(entry.Holidays, "holidays"),
            Dates(entry.TransferredWorkdays, "transferred_workdays"),
            Dates(entry.Shortened, "shortened"),
            Dates(entry.HolidaysOnWeekends, "holidays_on_weekends"),
            (entry.PresidentialNonWorkingDays ?? []).ToDictionary(
                p => ParseDate(p.Key, year, "presidential_non_working_days"), p => p.Value),
            entry.Sources);

        // The totals are the file's check values: a typo in a date list shows up here rather than in a deadline.
        var (days, hours) = result.Totals();
        if (entry.WorkingDays is { } storedDays && storedDays != days)
            throw new CalendarFormatException($"{year}: working_days is {storedDays}, but the date lists give {days}.");
        if (entry.Hours40hWeek is { } storedHours && storedHours != hours)
            throw new CalendarFormatException($"{year}: hours_40h_week is {storedHours}, but the date lists give {hours}.");
        return result;
    }

    private static LocalDate ParseDate(string text, int year, string field)
    {
        var parsed = LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success || parsed.Value.Year != year)
            throw new CalendarFormatException($"{year}: \"{text}\" in {field} is not a date of {year} (yyyy-MM-dd).");
        return parsed.Value;
    }

    public static string Write(IEnumerable<CalendarYear> years)
    {
        var list = years.OrderBy(y => y.Year).ToList();
        static List<string> Texts(IEnumerable<LocalDate> dates) =>
            dates.Order().Select(d => LocalDatePattern.Iso.Format(d)).ToList();

        var file = new CalendarFile(
            "Europe/Moscow",
            new Coverage(
                $"{list[0].Year}",
                $"{list[^1].Year}",
                list.Where(y => y.Status == YearStatus.Provisional).Select(y => $"{y.Year}").ToList()),
            list.ToDictionary(
                y => $"{y.Year}",
                y =>
                {
                    var (days, hours) = y.Totals();
                    return (YearEntry?)new YearEntry(
                        Texts(y.DaysOff),
                        Texts(y.WorkingWeekendDays),
                        Texts(y.Shortened),
                        Texts(y.HolidaysOnWeekends),
                        days,
                        hours,
                        y.Status == YearStatus.Verified ? "verified" : "provisional",
                        y.Sources,
                        y.PresidentialDays.Count == 0
                            ? null
                            : y.PresidentialDays.OrderBy(p => p.Key).ToDictionary(p => LocalDatePattern.Iso.Format(p.Key), p => p.Value));
                }));
        return JsonSerializer.Serialize(file, Options);
    }

    private sealed record CalendarFile(string? Timezone, Coverage? Coverage, Dictionary<string, YearEntry?>? Years);

    private sealed record Coverage(string? From, string? To, List<string>? ProvisionalYears);

    private sealed record YearEntry(
        List<string>? Holidays,
        List<string>? TransferredWorkdays,
        List<string>? Shortened,
        List<string>? HolidaysOnWeekends,
        int? WorkingDays,
        [property: JsonPropertyName("hours_40h_week")] int? Hours40hWeek,
        string? Status,
        string? Sources,
        Dictionary<string, string>? PresidentialNonWorkingDays);
}
