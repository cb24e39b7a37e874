using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Web.Pages;

/// <summary>The queue: tickets by response deadline, soonest first, with filters and offset paging (the deadline and
/// status indexes carry the order).</summary>
public sealed class IndexModel(ReglamentDb db, IClock clock, Sla.ResponseDeadlines deadlines) : PageModel
{
    public const int PageSize = 50;

    public Instant Now { get; } = clock.GetCurrentInstant();

    /// <summary>Calendar years deadlines need now that are not confirmed by a decree: shown loudly.</summary>
    public IReadOnlyList<(int Year, WorkingTime.YearStatus Status)> CalendarGaps => [.. Sla.CalendarCoverage.Check(deadlines, Now).Where(c => c.Status != WorkingTime.YearStatus.Verified)];

    [BindProperty(SupportsGet = true)]
    public Criticality? Criticality { get; set; }

    [BindProperty(SupportsGet = true)]
    public RequestType? Type { get; set; }

    /// <summary>A status, <c>all</c>, or nothing: the work still waiting on support (not resolved, closed or refused).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public const string AllStatuses = "all";

    /// <summary>The statuses of work that is still on support's side: what the queue shows unless asked otherwise.</summary>
    public static readonly TicketStatus[] OpenStatuses = [TicketStatus.New, TicketStatus.Open, TicketStatus.AwaitingSubscriber];

    /// <summary>A subscriber's login or client ID.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Subscriber { get; set; }

    /// <summary>An engineer's login; <c>-</c> for tickets nobody has taken.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Assignee { get; set; }

    /// <summary><c>pending</c>: only the tickets whose proposed refusal waits for an engineer («на проверку»), whatever
    /// their status.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Review { get; set; }

    public const string ReviewPending = "pending";

    public bool OnlyPendingReview => string.Equals(Review, ReviewPending, StringComparison.OrdinalIgnoreCase);

    /// <summary>How many tickets wait for review, for the filter's label.</summary>
    public int PendingReviews { get; private set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Ticket> Tickets { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public (string Russian, string English) Countdown(Ticket ticket) => Display.Countdown(deadlines, ticket, Now);

    /// <summary>The pages to offer: the first, the last, and a few around the current one — never thousands of links.</summary>
    public IEnumerable<int> PageLinks() => Enumerable.Range(1, Pages)
        .Where(p => p == 1 || p == Pages || Math.Abs(p - PageNumber) <= 3);

    /// <summary>The address of another page with the same filters.</summary>
    public string PageUrl(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["criticality"] = Criticality?.ToString(),
        ["type"] = Type?.ToString(),
        ["status"] = Status,
        ["subscriber"] = Subscriber,
        ["assignee"] = Assignee,
        ["review"] = OnlyPendingReview ? ReviewPending : null,
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = db.Tickets.AsNoTracking();
        if (Criticality is { } c)
            query = query.Where(t => t.Criticality == c);
        if (Type is { } type)
            query = query.Where(t => t.Type == type);
        if (Enum.TryParse<TicketStatus>(Status, ignoreCase: true, out var status))
            query = query.Where(t => t.Status == status);
        else if (!string.Equals(Status, AllStatuses, StringComparison.OrdinalIgnoreCase) && !OnlyPendingReview)
            query = query.Where(t => OpenStatuses.Contains(t.Status));
        if (OnlyPendingReview)
            query = query.Where(t => t.Review == ReviewState.Pending);
        if (!string.IsNullOrWhiteSpace(Subscriber))
        {
            var s = Subscriber.Trim();
            query = query.Where(t => t.Subscriber != null && (t.Subscriber.Login == s || t.Subscriber.ClientId == s));
        }
        if (Assignee?.Trim() == "-")
            query = query.Where(t => t.Assignee == null);
        else if (!string.IsNullOrWhiteSpace(Assignee))
        {
            var a = Staff.StaffAccounts.Normalize(Assignee);
            query = query.Where(t => t.Assignee == a);
        }
        PendingReviews = await db.Tickets.CountAsync(t => t.Review == ReviewState.Pending, cancellationToken);
        Total = await query.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        var ids = await QueueOrder.PageAsync(query, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        Tickets = await QueueOrder.LoadAsync(db.Tickets.AsNoTracking(), ids, cancellationToken);
    }
}
