using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Web.Pages;

/// <summary>The queue: tickets by response deadline, soonest first, with filters and offset paging (the deadline and
/// status indexes carry the order).</summary>
public sealed class IndexModel(ReglamentDb db, IClock clock, Sla.ResponseDeadlines deadlines, Sla.TicketDeadlines ticketDeadlines, IConfiguration configuration) : PageModel
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

    /// <summary>A broad search counted only up to <see cref="Total"/> («более 5 000», <see cref="QueueOrder.CountCap"/>);
    /// the pages then reach that far — past it, the words want narrowing.</summary>
    public bool MoreThanTotal { get; private set; }

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
        ["q"] = Q,
        ["burning"] = OnlyBurning ? "1" : null,
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    /// <summary>Words to find in the subjects and the conversations (<see cref="TicketSearch"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary><c>1</c>: only «горящие» — unanswered tickets at risk or past the deadline (<see cref="TicketFilter.Burning"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Burning { get; set; }

    public bool OnlyBurning => Burning == "1";

    /// <summary>The snippet of each found ticket, when the page is a search.</summary>
    public IReadOnlyDictionary<long, TicketSearch.Snippet> Snippets { get; private set; } = new Dictionary<long, TicketSearch.Snippet>();

    public bool Searched { get; private set; }

    /// <summary>The signed-in engineer's login, for the «мои» view.</summary>
    public string Me => StaffSignIn.Actor(User);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The default view is the work still on support's side; «на проверку» and «горящие» look across statuses.
        IReadOnlyCollection<TicketStatus>? statuses =
            Enum.TryParse<TicketStatus>(Status, ignoreCase: true, out var status) ? [status]
            : string.Equals(Status, AllStatuses, StringComparison.OrdinalIgnoreCase) || OnlyPendingReview ? null
            : OpenStatuses;
        var filter = new TicketFilter
        {
            Text = Q,
            Statuses = statuses,
            Criticality = Criticality,
            Type = Type,
            Subscriber = Subscriber,
            Assignee = Assignee,
            Review = OnlyPendingReview ? ReviewState.Pending : null,
            Burning = OnlyBurning,
        };
        Searched = filter.Searches;
        LiveSince = await LiveUpdates.FingerprintAsync(db, null, cancellationToken);
        Staff = await db.StaffUsers.AsNoTracking().Where(u => !u.Disabled).OrderBy(u => u.Login).ToListAsync(cancellationToken);
        PendingReviews = await db.Tickets.CountAsync(t => t.Review == ReviewState.Pending, cancellationToken);
        var counted = await QueueOrder.CountAsync(db, filter, Now, cancellationToken, configuration.GetValue("Queue:SearchCountCap", QueueOrder.CountCap));
        Total = counted.Total;
        MoreThanTotal = counted.MoreThanTotal;
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        var ids = await QueueOrder.PageAsync(db, counted, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        Tickets = await QueueOrder.LoadAsync(db.Tickets.AsNoTracking(), ids, cancellationToken);
        if (Searched)
            Snippets = await TicketSearch.SnippetsAsync(db, Q, ids, cancellationToken);
    }

    /// <summary>What a bulk action does to every ticket ticked in the queue.</summary>
    public enum BulkKind
    {
        Assign,
        Status,
        Criticality,
    }

    [BindProperty] public List<string> Selected { get; set; } = [];
    [BindProperty] public BulkKind BulkAction { get; set; }
    /// <summary>A staff login, or <c>-</c> for nobody.</summary>
    [BindProperty] public string? BulkAssignee { get; set; }
    [BindProperty] public TicketStatus BulkStatus { get; set; } = TicketStatus.Open;
    [BindProperty] public Criticality BulkCriticality { get; set; } = Reglament.Tickets.Criticality.Normal;
    [BindProperty] public string? BulkReason { get; set; }
    /// <summary>The queue's address (its filters), to come back to.</summary>
    [BindProperty] public string? Back { get; set; }

    /// <summary>What was stored when the page was drawn: the live stream reports a change after it (<see cref="LiveUpdates"/>).</summary>
    public string LiveSince { get; private set; } = "";

    /// <summary>What the last bulk action did, shown above the queue.</summary>
    [TempData] public string? BulkResult { get; set; }

    /// <summary>Who a ticket can be assigned to: every active staff account.</summary>
    public IReadOnlyList<Staff.StaffUser> Staff { get; private set; } = [];

    /// <summary>One change for every ticket ticked — each through the same code as the ticket page's form and audited the
    /// same way; a ticket the change does not fit (a move its status does not allow, the value it already has) is left
    /// as it was and named in the result. A change of status or criticality needs a reason, as on the ticket page.</summary>
    public async Task<IActionResult> OnPostBulkAsync(CancellationToken cancellationToken)
    {
        var L = HttpContext.RequestServices.GetRequiredService<PageLanguage>();
        var back = Back is { Length: > 0 } && Back.StartsWith('/') && !Back.StartsWith("//", StringComparison.Ordinal) ? Back : "/";
        var numbers = Selected.Select(n => TicketNumber.TryParse(n, out var number) ? number : (TicketNumber?)null).OfType<TicketNumber>().Select(n => n.Value).Distinct().ToList();
        if (numbers.Count == 0)
        {
            BulkResult = L.Text("Bulk_NothingSelected");
            return LocalRedirect(back);
        }
        if (BulkAction != BulkKind.Assign && string.IsNullOrWhiteSpace(BulkReason))
        {
            BulkResult = L.Text("Bulk_ReasonNeeded");
            return LocalRedirect(back);
        }
        var tickets = await db.Tickets.Where(t => numbers.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        var actor = StaffSignIn.Actor(User);
        var changed = 0;
        var skipped = new List<string>();
        foreach (var ticket in tickets)
        {
            if (!DeskAccess.CanAct(User, ticket) || BulkAction == BulkKind.Assign && !DeskAccess.CanAssign(User))
            {
                skipped.Add(ticket.Number.ToString());
                continue;
            }
            var done = BulkAction switch
            {
                BulkKind.Assign => await Assignments.AssignAsync(db, ticket, BulkAssignee?.Trim() == TicketFilter.Nobody ? null : BulkAssignee, actor, now, cancellationToken) == Assignments.Failure.None,
                BulkKind.Status => TicketLifecycle.Move(ticket, BulkStatus, BulkReason!, actor, now),
                _ when ticket.Criticality == BulkCriticality => false,
                _ => await ChangeCriticalityAsync(ticket, now, actor, cancellationToken),
            };
            if (done)
                changed++;
            else
                skipped.Add(ticket.Number.ToString());
        }
        await db.SaveChangesAsync(cancellationToken);
        BulkResult = skipped.Count == 0 ? L.Text("Bulk_Done", changed) : L.Text("Bulk_DonePartly", changed, string.Join(", ", skipped));
        return LocalRedirect(back);
    }

    private async Task<bool> ChangeCriticalityAsync(Ticket ticket, Instant now, string actor, CancellationToken cancellationToken)
    {
        await ticketDeadlines.ChangeCriticalityAsync(db, ticket, BulkCriticality, BulkReason!, actor, now, cancellationToken);
        return true;
    }
}
