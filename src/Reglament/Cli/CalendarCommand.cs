using System.CommandLine;
using System.Text.Json;
using System.Xml.Linq;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.WorkingTime;
using Spectre.Console;

namespace Reglament.Cli;

/// <summary><c>reglament calendar check|show|import</c>: the production calendar the deadlines are computed on.</summary>
public static class CalendarCommand
{
    public static Command Create(IClock clock)
    {
        var on = new Option<string?>("--on") { Description = "Check as of this date (yyyy-MM-dd) instead of today" };
        var check = new Command("check", "Exit 1 when the calendar lacks the current year or, from 1 October, the next year (for monitoring)") { on };
        check.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            var deadlines = services.GetRequiredService<ResponseDeadlines>();
            var today = clock.GetCurrentInstant().InZone(deadlines.Timeline.Schedule.Zone).Date;
            if (parseResult.GetValue(on) is { } given)
            {
                var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(given);
                if (!parsed.Success)
                {
                    await Console.Error.WriteLineAsync($"reglament calendar check: --on '{given}' is not a date like 2027-10-01");
                    return ExitCodes.Usage;
                }
                today = parsed.Value;
            }
            var code = ExitCodes.Ok;
            foreach (var (year, status) in CalendarCoverage.Check(deadlines.Timeline.Calendar, today))
            {
                var line = status switch
                {
                    YearStatus.Verified => $"{year}: verified",
                    YearStatus.Provisional => $"{year}: PROVISIONAL — deadlines are computed but marked provisional; import the published decree (reglament calendar import FILE)",
                    YearStatus.Unknown => $"{year}: MISSING — deadlines fall back to the Labor Code holidays and are marked provisional; import the year (reglament calendar import FILE)",
                };
                Console.WriteLine(line);
                if (status == YearStatus.Unknown)
                    code = ExitCodes.Failure;
            }
            await Console.Out.FlushAsync(cancellationToken);
            return code;
        }));

        var yearArgument = new Argument<int>("year") { Description = "The year to show" };
        var show = new Command("show", "Print a year as a month grid with the kind of each day") { yearArgument };
        show.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, services =>
        {
            Show(services.GetRequiredService<ResponseDeadlines>().Timeline.Calendar, parseResult.GetValue(yearArgument));
            return Task.FromResult(ExitCodes.Ok);
        }));

        var file = new Argument<FileInfo>("file") { Description = "An xmlcalendar file (<calendar year=…><days><day d=\"MM.DD\" t=\"1|2|3\"/>…) or the project's JSON" };
        var provisional = new Option<bool>("--provisional") { Description = "Mark an imported XML year provisional (a draft, a single source)" };
        var import = new Command("import", "Import calendar years; open tickets' deadlines are recomputed and each change recorded") { file, provisional };
        import.SetAction((parseResult, cancellationToken) => ReglamentCli.RunWithStorageAsync(parseResult, clock, async services =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"reglament: {path.FullName} does not exist");
                return ExitCodes.NoInput;
            }
            var text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            var deadlines = services.GetRequiredService<ResponseDeadlines>();
            ProductionCalendar imported;
            int[] years;
            try
            {
                (imported, years) = Read(deadlines.Timeline.Calendar, text, parseResult.GetValue(provisional));
            }
            catch (Exception e) when (e is CalendarFormatException or JsonException or System.Xml.XmlException)
            {
                await Console.Error.WriteLineAsync($"{path.Name}: {e.Message}");
                await Console.Error.WriteLineAsync("Nothing was imported.");
                return ExitCodes.DataError;
            }
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            var tickets = services.GetRequiredService<TicketDeadlines>();
            foreach (var year in years)
            {
                var moved = await tickets.ImportAsync(db, imported, year, path.Name, clock.GetCurrentInstant(), cancellationToken);
                Console.WriteLine($"{year}: imported ({imported.StatusOf(year)}); {moved} open ticket deadline(s) recomputed.");
            }
            return ExitCodes.Ok;
        }));
        return new Command("calendar", "The production calendar") { check, show, import };
    }

    internal static (ProductionCalendar Calendar, int[] Years) Read(ProductionCalendar current, string text, bool provisional)
    {
        if (text.TrimStart().StartsWith('<'))
        {
            var year = (int?)XDocument.Parse(text).Root?.Attribute("year") ?? throw new CalendarFormatException("the <calendar> element has no year attribute");
            return (current.ImportXml(text, provisional), [year]);
        }
        using var json = JsonDocument.Parse(text);
        var years = json.RootElement.GetProperty("years").EnumerateObject().Select(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (current.ImportJson(text), years);
    }

    private static void Show(ProductionCalendar calendar, int year)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]{year}[/] — {calendar.StatusOf(year)}; calendar {calendar.Version}");
        // Marks as well as colours, so the grid reads the same in a pipe or a log.
        console.MarkupLine("Legend: 12 working · [green]12+[/] working weekend · 12* shortened · [grey]12[/] weekend · [red]12![/] holiday · [darkorange]12~[/] transferred day off · [blue]12^[/] presidential non-working day");
        var grid = new Grid();
        // Two months a row: fits the 80 columns of a terminal or a pipe.
        grid.AddColumns(2);
        foreach (var pair in Enumerable.Range(1, 12).Select(month => Month(calendar, year, month)).Chunk(2))
            grid.AddRow(pair);
        console.Write(grid);
    }

    private static Table Month(ProductionCalendar calendar, int year, int month)
    {
        var table = new Table { Border = TableBorder.Simple, Title = new TableTitle(new LocalDate(year, month, 1).ToString("MMMM", System.Globalization.CultureInfo.GetCultureInfo("ru"))) };
        foreach (var name in new[] { "Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс" })
            table.AddColumn(new TableColumn(name).RightAligned());
        var cells = new List<string>();
        var first = new LocalDate(year, month, 1);
        cells.AddRange(Enumerable.Repeat("", (int)first.DayOfWeek - 1));
        for (var date = first; date.Month == month; date = date.PlusDays(1))
            cells.Add(Cell(calendar.GetDay(date)));
        while (cells.Count % 7 != 0)
            cells.Add("");
        foreach (var week in cells.Chunk(7))
            table.AddRow(week);
        return table;
    }

    private static string Cell(CalendarDay day)
    {
        var n = day.Date.Day.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var weekend = day.Date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        return day.Kind switch
        {
            DayKind.WorkingDay => weekend ? $"[green]{n}+[/]" : n,
            DayKind.ShortenedWorkingDay => weekend ? $"[green]{n}+*[/]" : $"{n}*",
            DayKind.Weekend => $"[grey]{n}[/]",
            DayKind.Holiday => $"[red]{n}![/]",
            DayKind.TransferredDayOff => $"[darkorange]{n}~[/]",
            DayKind.PresidentialNonWorkingDay => $"[blue]{n}^[/]",
        };
    }
}
