using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using NodaTime;
using NodaTime.Text;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>One table of the report, as the exports write it: a name, column names and rows of plain values
/// (string, int, double or null).</summary>
public sealed record SlaReportTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>The report as tables, and those tables as CSV, XLSX and JSON. The columns are defined once here, so the
/// page's download, the CLI's output and a spreadsheet carry the same figures. Times are the support's local time
/// (<c>Sla:TimeZone</c>), durations are working minutes, shares are fractions 0–1.</summary>
public static class SlaReportTables
{
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");

    private static readonly string[] ShareColumns = ["deadlines", "met", "breached", "pending", "share_met", "median_min", "p90_min"];

    public static IReadOnlyList<SlaReportTable> Of(SlaReportResult report) =>
    [
        new("by_criticality_month", ["month", "criticality", .. ShareColumns], [.. report.ByCriticalityMonth.Select(s => Share(s.Month, s))]),
        new("by_engineer", ["engineer", .. ShareColumns], [.. report.ByEngineer.Select(s => Share(null, s))]),
        new("by_subscriber", ["subscriber", .. ShareColumns], [.. report.BySubscriber.Select(s => Share(null, s))]),
        new("breaches", ["ticket", "criticality", "started", "due", "responded", "engineer", "over_min", "explanation"],
            [.. report.Breaches.Select(b => new object?[]
            {
                b.Ticket.ToString(), b.Criticality.ToString(), Time(b.Start, report.Zone), Time(b.Due, report.Zone),
                b.Response is { } r ? Time(r.At, report.Zone) : null, b.Engineer, Minutes(b.Over), Explain(b, report.Zone),
            })]),
        new("refusals", ["clause", "reason", "tickets"], [.. report.Refusals.Select(r => new object?[] { r.Reason.ToClauses(), r.Reason.ToString(), r.Tickets })]),
        new("auto_answers", ["answered", "reopened", "reopen_rate"], [[report.AutoAnswered, report.AutoAnswersReopened, Round(report.ReopenRate)]]),
        new("load_by_hour", ["hour", "received", "working_hour"], [.. report.LoadByHour.Select(h => new object?[] { h.Hour, h.Received, h.Working ? 1 : 0 })]),
    ];

    /// <summary>The clock's explanation of a breach in one line, Russian (the steps as the ticket page words them).</summary>
    public static string Explain(SlaBreach breach, DateTimeZone zone) => string.Join("; ", breach.Steps.Select(s =>
        $"{Time(s.At, zone)} {SlaTexts.Describe(s).Russian} — {SlaTexts.Effect(s.Effect).Russian}"));

    public static string Time(Instant at, DateTimeZone zone) => Local.Format(at.InZone(zone).LocalDateTime);

    /// <summary>Every table, one after another: a line with the table's name, its header, its rows, a blank line.</summary>
    public static void WriteCsv(SlaReportResult report, TextWriter writer)
    {
        foreach (var table in Of(report))
        {
            writer.Write("# ");
            writer.Write(table.Name);
            writer.Write("\r\n");
            writer.Write(string.Join(',', table.Columns.Select(Quote)));
            writer.Write("\r\n");
            foreach (var row in table.Rows)
            {
                writer.Write(string.Join(',', row.Select(v => Quote(Text(v)))));
                writer.Write("\r\n");
            }
            writer.Write("\r\n");
        }
    }

    public static string Csv(SlaReportResult report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(report, writer);
        return writer.ToString();
    }

    /// <summary>One worksheet per table, numbers as numbers (a spreadsheet sums them), header row bold and frozen.</summary>
    public static void WriteXlsx(SlaReportResult report, Stream stream)
    {
        using var book = new XLWorkbook();
        foreach (var table in Of(report))
        {
            var sheet = book.Worksheets.Add(table.Name);
            for (var c = 0; c < table.Columns.Count; c++)
                sheet.Cell(1, c + 1).Value = table.Columns[c];
            sheet.Row(1).Style.Font.Bold = true;
            sheet.SheetView.FreezeRows(1);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = sheet.Cell(r + 2, c + 1);
                    switch (table.Rows[r][c])
                    {
                        case int i: cell.Value = i; break;
                        case double d: cell.Value = d; break;
                        case string s: cell.SetValue(s); break;
                    }
                }
            }
        }
        book.SaveAs(stream);
    }

    public static JsonObject Json(SlaReportResult report)
    {
        var tables = new JsonObject();
        foreach (var table in Of(report))
        {
            var rows = new JsonArray();
            foreach (var row in table.Rows)
            {
                var item = new JsonObject();
                for (var c = 0; c < table.Columns.Count; c++)
                    item[table.Columns[c]] = row[c] switch
                    {
                        null => null,
                        int i => JsonValue.Create(i),
                        double d => JsonValue.Create(d),
                        var v => JsonValue.Create(Text(v)),
                    };
                rows.Add(item);
            }
            tables[table.Name] = rows;
        }
        return new JsonObject
        {
            ["from"] = report.From.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = report.To.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
            ["timeZone"] = report.Zone.Id,
            ["tickets"] = report.Tickets,
            ["tables"] = tables,
        };
    }

    public static string JsonText(SlaReportResult report) =>
        Json(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Plain aligned columns for a terminal.</summary>
    public static string Table(SlaReportResult report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"SLA report {report.From:uuuu-MM-dd} – {report.To:uuuu-MM-dd} (to exclusive), {report.Zone.Id}; {report.Tickets} tickets\n");
        foreach (var table in Of(report))
        {
            text.Append('\n').Append(table.Name).Append('\n');
            var cells = new List<string[]> { table.Columns.ToArray() };
            // The explanation is long; a terminal reader gets it from --format csv or json.
            cells.AddRange(table.Rows.Select(r => r.Select(v => Text(v) ?? "").Select(s => s.Length > 60 ? s[..57] + "..." : s).ToArray()));
            var widths = Enumerable.Range(0, table.Columns.Count).Select(c => cells.Max(r => r[c].Length)).ToArray();
            foreach (var row in cells)
                text.Append(string.Join("  ", row.Select((s, c) => s.PadRight(widths[c]))).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static object?[] Share(string? month, SlaShare s) =>
    [
        .. month is null ? Array.Empty<object?>() : [month], s.Key, s.Deadlines, s.Met, s.Breached, s.Pending, Round(s.Share),
        Minutes(s.Median), Minutes(s.Percentile90),
    ];

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static double? Minutes(Duration? duration) => duration is { } d ? Math.Round(d.TotalMinutes, 2) : null;

    private static string? Text(object? value) => value switch
    {
        null => null,
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
