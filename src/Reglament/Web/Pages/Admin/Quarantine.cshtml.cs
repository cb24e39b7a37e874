using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Intake;

namespace Reglament.Web.Pages.Admin;

/// <summary>What intake did not accept, newest first; released items are hidden unless asked for.</summary>
public sealed class QuarantineModel(ReglamentDb db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public QuarantineReason? Reason { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Released { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The list without the raw bytes, which can be megabytes each.</summary>
    public IReadOnlyList<QuarantineRow> Items { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public string PageUrl(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["reason"] = Reason?.ToString(),
        ["released"] = Released ? "true" : null,
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = db.Quarantine.AsNoTracking();
        if (Reason is { } reason)
            query = query.Where(q => q.Reason == reason);
        if (!Released)
            query = query.Where(q => q.ReleasedAt == null);
        Total = await query.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Items = await query.OrderByDescending(q => q.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(q => new QuarantineRow(q.Id, q.At, q.Reason, q.Channel, q.Sender, q.Subject, q.Explanation, q.ReleasedAt, q.ReleaseOutcome))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Russian, then English, from <c>Intake/QuarantineReasons.resx</c>: the page shows both by default.</summary>
    public static string Describe(QuarantineReason reason) => QuarantineReasons.Describe(reason);
}

public sealed record QuarantineRow(long Id, NodaTime.Instant At, QuarantineReason Reason, Tickets.Channel Channel, string? Sender, string? Subject,
    string Explanation, NodaTime.Instant? ReleasedAt, string? ReleaseOutcome);
