using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.Web.Pages.Portal;

/// <summary>A ticket as its subscriber sees it: status, criticality, deadline, the decision and the conversation —
/// without the engineers' internal notes. Another subscriber's ticket is a 404, for a look and for a reply alike.</summary>
[SharedRateLimit(PortalSignIn.RequestRateLimit)]
public sealed class PortalTicketModel(ReglamentDb db, IntakePipeline pipeline, IOptions<MailOptions> mail, IClock clock) : PageModel
{
    /// <summary>The visitor's language, for the messages this page model writes (Web/PageLanguage).</summary>
    private PageLanguage L => HttpContext.RequestServices.GetRequiredService<PageLanguage>();

    /// <summary>The kinds of outgoing mail that went to the subscriber (SLA warnings go to staff).</summary>
    private static readonly OutgoingKind[] ToSubscriber =
        [OutgoingKind.Acknowledgement, OutgoingKind.Refusal, OutgoingKind.KnowledgeBaseAnswer, OutgoingKind.RequestForInformation, OutgoingKind.EngineerReply];

    public sealed record Entry(Instant At, bool FromSupport, string Author, string Subject, string Body, IReadOnlyList<Attachment> Attachments);

    public Ticket? Ticket { get; private set; }

    public Decision? Decision { get; private set; }

    /// <summary>The automatic answer that explains the decision (the refusal with its clauses, what is missing, the articles).</summary>
    public OutboxMessage? DecisionReply { get; private set; }

    public IReadOnlyList<Entry> Conversation { get; private set; } = [];

    [BindProperty]
    public string? ReplyText { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    public string? Problem { get; private set; }

    /// <summary>Just filed from the new-request form (<c>?filed=1</c>).</summary>
    public bool Filed { get; private set; }

    public bool Replied { get; private set; }

    public async Task<IActionResult> OnGetAsync(string number, int? filed, int? replied, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(number, cancellationToken))
            return NotFound();
        Filed = filed == 1;
        Replied = replied == 1;
        return Page();
    }

    /// <summary>A file of the conversation, always as a download (never rendered inline: it is whatever was uploaded).</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(string number, long id, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return NotFound();
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (ticket is null)
            return NotFound();
        return await Reglament.Web.Conversation.AttachmentAsync(db, User, ticket, id, cancellationToken) is { } found
            ? File(found.Content, "application/octet-stream", found.File.FileName)
            : NotFound();
    }

    /// <summary>A reply in this ticket, through the intake pipeline as a reply by the WebPortal channel.</summary>
    public async Task<IActionResult> OnPostReplyAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return NotFound();
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        // Checked before anything is read from the form: someone else's ticket stores nothing and says nothing.
        if (ticket is null || !DeskAccess.CanAct(User, ticket))
            return NotFound();
        if (string.IsNullOrWhiteSpace(ReplyText))
            return await ShowProblemAsync(number, L["Напишите текст ответа.", "Write your reply."], cancellationToken);
        var (files, problem) = await PortalRequests.ReadFilesAsync(Files, mail.Value.MaxAttachmentBytes, L, cancellationToken);
        if (problem is not null)
            return await ShowProblemAsync(number, problem, cancellationToken);
        var request = PortalRequests.Build(User, $"Re: {ticket.Number.SubjectTag} {ticket.Subject}", ReplyText.Trim(), files, ticket.Number,
            clock.GetCurrentInstant(), HttpContext.Connection.RemoteIpAddress?.ToString());
        var result = await pipeline.ProcessAsync(request, cancellationToken);
        if (result.Outcome != IntakeOutcome.AddedToTicket)
            return await ShowProblemAsync(number, L["Ответ не принят: ваш адрес больше не связан с абонентом.", "The reply was not taken: your address is no longer a contact of the subscriber."], cancellationToken);
        return Redirect($"/portal/tickets/{ticket.Number}?replied=1");
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

    private async Task<bool> LoadAsync(string number, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return false;
        Ticket = await db.Tickets.AsNoTracking().AsSplitQuery()
            .Include(t => t.Messages).ThenInclude(m => m.Attachments).Include(t => t.Decisions)
            .FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (Ticket is null || !DeskAccess.CanSee(User, Ticket))
            return false;
        Decision = Ticket.Decisions.OrderBy(d => d.DecidedAt).ThenBy(d => d.Id).LastOrDefault();
        var id = Ticket.Id;
        var outgoing = await db.Outbox.AsNoTracking().Where(o => o.TicketId == id && ToSubscriber.Contains(o.Kind))
            .OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var explains = Decision?.Outcome switch
        {
            DecisionOutcome.Refused => OutgoingKind.Refusal,
            DecisionOutcome.NeedsMoreInformation => OutgoingKind.RequestForInformation,
            DecisionOutcome.AnsweredFromKnowledgeBase => OutgoingKind.KnowledgeBaseAnswer,
            _ => (OutgoingKind?)null,
        };
        DecisionReply = outgoing.FirstOrDefault(o => o.Kind == explains);
        var notes = DeskAccess.SeesInternalNotes(User);
        Conversation =
        [
            .. Ticket.Messages.Where(m => notes || m.Direction != MessageDirection.InternalNote)
                .Select(m => new Entry(m.At, m.Direction != MessageDirection.Inbound, m.AuthorName ?? m.Author, m.Subject, m.Body, m.Attachments)),
            .. outgoing.Where(o => o != DecisionReply)
                .Select(o => new Entry(o.CreatedAt, true, L["Поддержка", "Support"], o.Subject, o.Body, [])),
        ];
        Conversation = [.. Conversation.OrderBy(e => e.At)];
        return true;
    }
}
