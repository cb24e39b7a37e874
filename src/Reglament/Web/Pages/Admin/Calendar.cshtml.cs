using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.WorkingTime;

namespace Reglament.Web.Pages.Admin;

/// <summary>The production calendar the deadlines are computed on, a year at a time, with where the year came from
/// and a loud banner when the current or the next year is missing or provisional.</summary>
public sealed class CalendarModel(ResponseDeadlines deadlines, ReglamentDb db, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    public LocalDate Today { get; private set; }

    public int ShownYear { get; private set; }

    public ProductionCalendar Calendar { get; } = deadlines.Timeline.Calendar;

    public YearStatus Status => Calendar.StatusOf(ShownYear);

    /// <summary>The year as an operator imported it (replacing the embedded one), or null for the library's data.</summary>
    public CalendarYearRecord? Imported { get; private set; }

    /// <summary>The sources the year's data names (the library's or the imported file's <c>sources</c>).</summary>
    public string? Sources { get; private set; }

    /// <summary>The current year and the next one when either is not verified: what deadlines need soon.</summary>
    public IReadOnlyList<(int Year, YearStatus Status)> Gaps { get; private set; } = [];

    /// <summary>Twelve months, each a list of weeks of seven cells, Monday first; null outside the month.</summary>
    public IReadOnlyList<IReadOnlyList<CalendarDay?[]>> Months { get; private set; } = [];

    public int WorkingDays { get; private set; }

    public int DaysOff { get; private set; }

    public int ShortenedDays { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Today = clock.GetCurrentInstant().InZone(deadlines.Timeline.Schedule.Zone).Date;
        ShownYear = Year ?? Today.Year;
        if (ShownYear is < 1900 or > 2200)
            return NotFound();
        Gaps = [.. new[] { Today.Year, Today.Year + 1 }.Select(y => (y, Calendar.StatusOf(y))).Where(g => g.Item2 != YearStatus.Verified)];
        Imported = await db.CalendarYears.AsNoTracking().FirstOrDefaultAsync(y => y.Year == ShownYear, cancellationToken);
        if (Status != YearStatus.Unknown)
        {
            using var json = JsonDocument.Parse(Calendar.ToJson(ShownYear));
            if (json.RootElement.GetProperty("years").GetProperty(ShownYear.ToString(System.Globalization.CultureInfo.InvariantCulture)).TryGetProperty("sources", out var sources))
                Sources = sources.GetString();
        }
        var months = new List<IReadOnlyList<CalendarDay?[]>>();
        for (var month = 1; month <= 12; month++)
        {
            var cells = new List<CalendarDay?>();
            var first = new LocalDate(ShownYear, month, 1);
            cells.AddRange(Enumerable.Repeat<CalendarDay?>(null, (int)first.DayOfWeek - 1));
            for (var date = first; date.Month == month; date = date.PlusDays(1))
            {
                var day = Calendar.GetDay(date);
                cells.Add(day);
                if (day.IsWorkingDay) WorkingDays++; else DaysOff++;
                if (day.Kind == DayKind.ShortenedWorkingDay) ShortenedDays++;
            }
            while (cells.Count % 7 != 0)
                cells.Add(null);
            months.Add([.. cells.Chunk(7)]);
        }
        Months = months;
        return Page();
    }

    public static string CssClass(CalendarDay day) =>
        "day-" + day.Kind + (day.IsWorkingDay && day.Date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? " day-working-weekend" : "");
}
