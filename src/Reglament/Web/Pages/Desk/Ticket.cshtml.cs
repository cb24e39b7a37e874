using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Policy;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Desk;

public sealed class TicketModel(ReglamentDb db, TicketClock slaClock, TicketDeadlines ticketDeadlines, ResponseDeadlines deadlines, DecisionOverrides overrides, RefusalReview review, EngineerReplies replies,
    Knowledge.KnowledgeIndex knowledge, Microsoft.Extensions.Options.IOptions<Knowledge.KnowledgeOptions> knowledgeOptions,
    Microsoft.Extensions.Options.IOptions<MailOptions> mail, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    /// <summary>Articles that may answer the request (R9), for the engineer to link.</summary>
    public IReadOnlyList<Knowledge.ArticleMatch> Suggestions { get; private set; } = [];

    /// <summary>The clock's reading from the ticket's events: the deadline, its working periods and what each event did.</summary>
    public SlaReading? Reading { get; private set; }

    public SlaState Sla { get; private set; }

    /// <summary>«осталось 3 ч 20 мин рабочего времени» for the side panel, the same words the queue shows and
    /// <c>/desk/countdowns</c> refreshes; empty once answered or refused.</summary>
    public (string Russian, string English) Countdown { get; private set; }

    /// <summary>The subscriber's other tickets still waiting for work (new, open, awaiting him), for the side panel:
    /// an engineer sees at once that the same customer wrote about the same outage twice.</summary>
    public IReadOnlyList<Ticket> OtherOpen { get; private set; } = [];

    /// <summary>One entry of the conversation: a stored message, a mail the desk sent or queued, or an audit event.
    /// Exactly one of the three is set; <see cref="Order"/> keeps entries of the same instant in a stable order.</summary>
    public sealed record ThreadEntry(Instant At, int Order, long Id, Message? Message, OutboxMessage? Mail, AuditEvent? Event);

    /// <summary>Everything that happened to the ticket in time order — what the subscriber wrote, what the desk and the
    /// engineers answered, the notes and the audit events between them — so the page reads as one conversation.</summary>
    public IReadOnlyList<ThreadEntry> Thread { get; private set; } = [];

    public Ticket? Ticket { get; private set; }

    public IReadOnlyList<OutboxMessage> Outgoing { get; private set; } = [];

    /// <summary>For a monitoring incident: the subscribers it affects and through which resource (R2).</summary>
    public IReadOnlyList<Monitoring.IncidentSubscriber> Affected { get; private set; } = [];

    /// <summary>For a request by official letter: the letter's facts (R6).</summary>
    public Letters.OfficialLetter? Letter { get; private set; }

    /// <summary>Requests linked to this incident, or the incident this request is linked to.</summary>
    public IReadOnlyList<Ticket> Related { get; private set; } = [];

    /// <summary>The reply being written; <c>?insert=NNNNNN</c> appends an article's public link (no script needed).</summary>
    [BindProperty, Display(Name = "Ответ абоненту")]
    public string? ReplyText { get; set; }

    [BindProperty]
    public string? NoteText { get; set; }

    /// <summary>The supervisors' canned replies (<see cref="CannedReplies"/>), to insert into the reply box.</summary>
    public IReadOnlyList<MessageTemplate> Canned { get; private set; } = [];

    [BindProperty]
    public string? CannedKey { get; set; }

    /// <summary>What was stored for this ticket when the page was drawn (<see cref="LiveUpdates"/>).</summary>
    public string LiveSince { get; private set; } = "";

    [BindProperty]
    public Criticality NewCriticality { get; set; }

    [BindProperty]
    public TicketStatus NewStatus { get; set; }

    [BindProperty]
    public DecisionOutcome OverrideOutcome { get; set; }

    [BindProperty]
    public string? OverrideClauses { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The rules' decision that proposed a refusal (the review band), when the ticket has one.</summary>
    public Decision? Proposal { get; private set; }

    /// <summary>The evidence for the proposed refusal: what the rules of its clauses found, and why it was not made.</summary>
    public IReadOnlyList<Evidence> ProposalEvidence { get; private set; } = [];

    /// <summary>Who confirmed or dismissed the proposal, and when (the audit event).</summary>
    public AuditEvent? Reviewed { get; private set; }

    /// <summary>The threshold a refusal's confidence must reach to be made without review (<c>Policy:Review</c>).</summary>
    public double ReviewThreshold => review.Threshold;

    /// <summary>The button pressed in the «на проверку» block.</summary>
    [BindProperty]
    public ReviewAction? ReviewChoice { get; set; }

    [BindProperty]
    public string? ReviewComment { get; set; }

    /// <summary>Why the last action was not done, shown above the forms.</summary>
    public string? Problem { get; private set; }

    public string ArticleUrl(string id) => $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/kb/article/{id}";

    public async Task<IActionResult> OnGetAsync(string number, string? insert, string? text, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(number, cancellationToken))
            return NotFound();
        ReplyText = text;
        if (insert is { Length: 6 } && insert.All(char.IsAsciiDigit))
            ReplyText = (string.IsNullOrEmpty(ReplyText) ? "" : ReplyText.TrimEnd() + "\n") + ArticleUrl(insert);
        return Page();
    }

    /// <summary>Inserts a canned reply, its placeholders filled, after what the engineer has written so far; nothing is
    /// sent — the engineer reads and edits the text first.</summary>
    public async Task<IActionResult> OnPostCannedAsync(string number, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(number, cancellationToken))
            return NotFound();
        if (Canned.FirstOrDefault(c => c.Key == CannedKey) is { } canned)
        {
            var text = CannedReplies.Fill(canned.Body, Ticket!, StaffSignIn.DisplayName(User));
            ReplyText = string.IsNullOrWhiteSpace(ReplyText) ? text : ReplyText.TrimEnd() + "\n\n" + text;
            // The text area shows the posted value unless the model state lets the new one through.
            ModelState.Remove(nameof(ReplyText));
        }
        else
            Problem = L.Text("Ticket_ThereNoSuchCannedReply");
        return Page();
    }

    /// <summary>A reply by e-mail in the ticket's thread; the first one is the response the deadline measures.</summary>
    public Task<IActionResult> OnPostReplyAsync(string number, CancellationToken cancellationToken) => ActAsync(number, async (ticket, now, actor) =>
        await replies.ReplyAsync(db, ticket, ReplyText, actor, now, cancellationToken) switch
        {
            EngineerReplies.Failure.EmptyText => L.Text("Ticket_WriteReply"),
            EngineerReplies.Failure.NoSubscriberMessage => L.Text("Ticket_TicketHasNoMessageFrom"),
            _ => null,
        }, cancellationToken);

    /// <summary>A note for colleagues; never mailed.</summary>
    public Task<IActionResult> OnPostNoteAsync(string number, CancellationToken cancellationToken) => ActAsync(number, (ticket, now, actor) =>
    {
        if (string.IsNullOrWhiteSpace(NoteText))
            return Task.FromResult<string?>(L.Text("Ticket_WriteNote"));
        ticket.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = now, Author = actor, Subject = ticket.Subject, Body = NoteText.Trim() });
        Audit(ticket, now, actor, "note.added", null);
        return Task.FromResult<string?>(null);
    }, cancellationToken);

    public Task<IActionResult> OnPostCriticalityAsync(string number, CancellationToken cancellationToken) => ActAsync(number, async (ticket, now, actor) =>
    {
        if (string.IsNullOrWhiteSpace(Reason))
            return L.Text("Ticket_ChangeCriticalityNeedsReason");
        if (NewCriticality == ticket.Criticality)
            return L.Text("Ticket_CriticalityAlreadyThat");
        await ticketDeadlines.ChangeCriticalityAsync(db, ticket, NewCriticality, Reason, actor, now, cancellationToken);
        return null;
    }, cancellationToken);

    public Task<IActionResult> OnPostStatusAsync(string number, CancellationToken cancellationToken) => ActAsync(number, (ticket, now, actor) =>
    {
        if (string.IsNullOrWhiteSpace(Reason))
            return Task.FromResult<string?>(L.Text("Ticket_ChangeStatusNeedsReason"));
        var from = ticket.Status;
        return Task.FromResult<string?>(TicketLifecycle.Move(ticket, NewStatus, Reason, actor, now) ? null
            : L.Text("Ticket_CannotMoveStatus", L.Of(from), L.Of(NewStatus)));
    }, cancellationToken);

    /// <summary>The assignee chosen: a staff login; <c>-</c> for nobody; nothing for the engineer himself («Взять себе»).</summary>
    [BindProperty]
    public string? AssignTo { get; set; }

    /// <summary>Who a ticket can be assigned to: every active staff account.</summary>
    public IReadOnlyList<Staff.StaffUser> Staff { get; private set; } = [];

    /// <summary>Assigns the ticket to any member of staff, or to nobody, audited (<see cref="Assignments"/>).</summary>
    public Task<IActionResult> OnPostAssignAsync(string number, CancellationToken cancellationToken) => ActAsync(number, async (ticket, now, actor) =>
    {
        if (!DeskAccess.CanAssign(User))
            return L.Text("Assign_Forbidden");
        var target = string.IsNullOrWhiteSpace(AssignTo) ? actor : AssignTo.Trim() == TicketFilter.Nobody ? null : AssignTo;
        return await Assignments.AssignAsync(db, ticket, target, actor, now, cancellationToken) switch
        {
            Assignments.Failure.UnknownStaff => L.Text("Assign_UnknownEngineer", AssignTo),
            Assignments.Failure.Unchanged => L.Text("Assign_Unchanged"),
            _ => null,
        };
    }, cancellationToken);

    /// <summary>The engineer overrules the rules' decision (R5, R11), through the same code as the API.</summary>
    public async Task<IActionResult> OnPostOverrideAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return NotFound();
        var unknown = new List<string>();
        var reasons = DecisionOverrides.ParseReasons((OverrideClauses ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries), unknown);
        var result = unknown.Count > 0
            ? new OverrideResult(null, L.Text("Ticket_UnknownClauses", string.Join(", ", unknown)))
            : await overrides.OverrideAsync(parsed.Value, OverrideOutcome, reasons, StaffSignIn.Actor(User), Reason ?? "", cancellationToken);
        if (result.NotFound)
            return NotFound();
        if (result.Problem is { } problem)
            return await ShowProblemAsync(number, problem, cancellationToken);
        return RedirectToPage(new { number });
    }

    /// <summary>The review band: the engineer confirms the proposed refusal (the ticket is refused and the refusal mailed)
    /// or dismisses it (the request stays accepted) — one click, audited, once.</summary>
    public async Task<IActionResult> OnPostReviewAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return NotFound();
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (ticket is null || !DeskAccess.CanAct(User, ticket))
            return NotFound();
        if (ReviewChoice is not { } choice)
            return await ShowProblemAsync(number, L.Text("Ticket_ConfirmDismiss"), cancellationToken);
        var result = await review.ReviewAsync(parsed.Value, choice, StaffSignIn.Actor(User), ReviewComment, cancellationToken);
        if (result.NotFound)
            return NotFound();
        if (!result.Done)
            return await ShowProblemAsync(number, result.Problem!, cancellationToken);
        return RedirectToPage(new { number });
    }

    private async Task<IActionResult> ActAsync(string number, Func<Ticket, Instant, string, Task<string?>> action, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return NotFound();
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (ticket is null || !DeskAccess.CanAct(User, ticket))
            return NotFound();
        var problem = await action(ticket, clock.GetCurrentInstant(), StaffSignIn.Actor(User));
        if (problem is not null)
            return await ShowProblemAsync(number, problem, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // Post/redirect/get: a reload does not send the reply twice.
        return RedirectToPage(new { number });
    }

    private async Task<IActionResult> ShowProblemAsync(string number, string problem, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        if (!await LoadAsync(number, cancellationToken))
            return NotFound();
        Problem = problem;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>A file of the conversation: a photo or screenshot shown in the page, anything else as a download.</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(string number, long id, CancellationToken cancellationToken)
    {
        var ticket = TicketNumber.TryParse(number, out var parsed)
            ? await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken)
            : null;
        if (ticket is null || await Conversation.AttachmentAsync(db, User, ticket, id, cancellationToken) is not { } found)
            return NotFound();
        return Conversation.ShowsInline(found.File)
            ? File(found.Content, found.File.ContentType.ToLowerInvariant())
            : File(found.Content, "application/octet-stream", found.File.FileName);
    }

    /// <summary>A mail's sanitized HTML, for the sandboxed frame under its text.</summary>
    public async Task<IActionResult> OnGetHtmlAsync(string number, long message, CancellationToken cancellationToken)
    {
        var ticket = TicketNumber.TryParse(number, out var parsed)
            ? await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken)
            : null;
        if (ticket is null || !DeskAccess.CanSee(User, ticket))
            return NotFound();
        var mail = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == message && m.TicketId == ticket.Id && m.SafeHtml != null, cancellationToken);
        return mail is null ? NotFound() : await Conversation.HtmlAsync(Response, db, mail, cancellationToken);
    }

    private static void Audit(Ticket ticket, Instant now, string actor, string action, string? details) =>
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = action, Details = details ?? "" });

    private async Task<bool> LoadAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return false;
        Ticket = await db.Tickets.AsNoTracking().AsSplitQuery().Include(t => t.Subscriber).ThenInclude(s => s!.Contacts)
            .Include(t => t.Messages).ThenInclude(m => m.Attachments).Include(t => t.Decisions).Include(t => t.AuditEvents).Include(t => t.SlaEvents)
            .FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (Ticket is null || !DeskAccess.CanSee(User, Ticket))
            return false;
        Staff = await db.StaffUsers.AsNoTracking().Where(u => !u.Disabled).OrderBy(u => u.Login).ToListAsync(cancellationToken);
        Canned = await CannedReplies.ListAsync(db, cancellationToken);
        LiveSince = await LiveUpdates.FingerprintAsync(db, Ticket.Id, cancellationToken);
        NewCriticality = Ticket.Criticality;
        NewStatus = Ticket.Status;
        Reading = slaClock.Read(Ticket, clock.GetCurrentInstant());
        Sla = Reading.State;
        Countdown = Display.Countdown(deadlines, Ticket, clock.GetCurrentInstant());
        if (Ticket.Messages.Where(m => m.Direction == MessageDirection.Inbound).OrderBy(m => m.At).FirstOrDefault() is { } first)
            Suggestions = knowledge.Match(first.Subject + "\n" + first.Shown, knowledgeOptions.Value.Suggestions);
        Outgoing = await db.Outbox.AsNoTracking().Where(o => o.TicketId == Ticket.Id).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var id = Ticket.Id;
        var incident = Ticket.RelatedIncidentId;
        Affected = await db.IncidentSubscribers.AsNoTracking().Include(l => l.Subscriber).Where(l => l.TicketId == id).OrderBy(l => l.SubscriberId).ToListAsync(cancellationToken);
        Letter = await db.OfficialLetters.AsNoTracking().FirstOrDefaultAsync(l => l.TicketId == id, cancellationToken);
        if (Ticket.Review != ReviewState.None && RefusalReview.Proposal(Ticket.Decisions) is { } proposal)
        {
            Proposal = proposal;
            ProposalEvidence = RefusalReview.EvidenceFor(proposal);
            Reviewed = Ticket.Review == ReviewState.Pending ? null : Ticket.AuditEvents.Where(a => a.Action is RefusalReview.Confirmed or RefusalReview.Dismissed or "decision.overridden")
                .OrderBy(a => a.At).ThenBy(a => a.Id).LastOrDefault();
        }
        if (Ticket.SubscriberId is { } subscriber)
            OtherOpen = await db.Tickets.AsNoTracking().Visible(User)
                .Where(t => t.SubscriberId == subscriber && t.Id != id && (t.Status == TicketStatus.New || t.Status == TicketStatus.Open || t.Status == TicketStatus.AwaitingSubscriber))
                .OrderBy(t => t.Id).Take(20).ToListAsync(cancellationToken);
        // A mail queued at the same instant as the event that caused it comes after the message and before the
        // event, which reads as «the subscriber wrote — the desk answered — the desk recorded it».
        Thread = [
            .. Ticket.Messages.Select(m => new ThreadEntry(m.At, 0, m.Id, m, null, null)),
            .. Outgoing.Select(o => new ThreadEntry(o.CreatedAt, 1, o.Id, null, o, null)),
            .. Ticket.AuditEvents.Select(a => new ThreadEntry(a.At, 2, a.Id, null, null, a)),
        ];
        Thread = [.. Thread.OrderBy(e => e.At).ThenBy(e => e.Order).ThenBy(e => e.Id)];
        Related = await db.Tickets.AsNoTracking().Where(t => t.RelatedIncidentId == id || t.Id == incident).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return true;
    }
}
