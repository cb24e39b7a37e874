using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Reglament.Data;
using Reglament.Sla;

namespace Reglament.Web.Pages.Reports;

/// <summary>Whether the response promise is kept, for supervisors: the one <see cref="SlaReport"/> over a period
/// [from, to) of support dates, as tables, SVG plots, and CSV or XLSX downloads of the same tables.</summary>
public sealed class IndexModel(ReglamentDb db, SlaReport report, IClock clock) : PageModel
{
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    /// <summary>The first support date of the period (default: the first of this month).</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>The first date after the period (default: the first of next month).</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public SlaReportResult? Report { get; private set; }

    /// <summary>Why there is no report (a bad date), Russian and English, for <c>L[…]</c>.</summary>
    public (string Russian, string English)? Problem { get; private set; }

    public string Query(string handler) => QueryString.Create(new Dictionary<string, string?>
    {
        ["handler"] = handler,
        ["from"] = Report is { } r ? Date.Format(r.From) : From,
        ["to"] = Report is { } t ? Date.Format(t.To) : To,
    }).ToUriComponent();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await BuildAsync(cancellationToken) ? Page() : UnprocessablePage();

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!await BuildAsync(cancellationToken))
            return UnprocessablePage();
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(SlaReportTables.Csv(Report!))).ToArray();
        return File(bytes, "text/csv; charset=utf-8", FileName("csv"));
    }

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken cancellationToken)
    {
        if (!await BuildAsync(cancellationToken))
            return UnprocessablePage();
        using var stream = new MemoryStream();
        SlaReportTables.WriteXlsx(Report!, stream);
        return File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileName("xlsx"));
    }

    private string FileName(string extension) => $"sla-{Date.Format(Report!.From)}-{Date.Format(Report.To)}.{extension}";

    private PageResult UnprocessablePage()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> BuildAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var today = now.InZone(report.Zone).Date;
        var monthStart = today.With(DateAdjusters.StartOfMonth);
        var from = Parse(From, monthStart);
        var to = Parse(To, (from ?? monthStart).PlusMonths(1).With(DateAdjusters.StartOfMonth));
        if (from is null || to is null)
        {
            Problem = ("Даты — в виде 2026-11-01.", "Dates look like 2026-11-01.");
            return false;
        }
        if (to <= from)
        {
            Problem = ("Конец периода должен быть позже начала.", "The period's end must be after its start.");
            return false;
        }
        Report = await report.BuildAsync(db, from.Value, to.Value, now, cancellationToken);
        return true;
    }

    private static LocalDate? Parse(string? text, LocalDate fallback) =>
        string.IsNullOrWhiteSpace(text) ? fallback : Date.Parse(text.Trim()) is { Success: true } r ? r.Value : null;
}
