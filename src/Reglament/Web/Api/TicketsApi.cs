using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Web.Api;

/// <summary>The REST API: file a request, list tickets, read one. Errors are RFC 7807 problem details.</summary>
public static class TicketsApi
{
    public const int MaxPageSize = 200;
    public const int MaxAttachmentBytes = 25 * 1024 * 1024;

    private static readonly JsonSerializerOptions RawJson = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization("Api").WithTags("Tickets");
        api.MapPost("/requests", CreateAsync).WithName("CreateRequest").WithSummary("File a request; it runs through the same rules as e-mail.");
        api.MapGet("/tickets", ListAsync).WithName("ListTickets").WithSummary("Tickets sorted by response deadline, with filters (q: full-text search over subjects and messages, any inflection; assignee: a login or - for nobody; burning=true: unanswered at risk or breached; review=Pending: the review band) and paging.");
        api.MapGet("/tickets/{number}", GetAsync).WithName("GetTicket").WithSummary("A ticket with its deadline explanation, messages, decisions, audit trail and any refusal proposed for review.");
        api.MapPost("/tickets/{number}/reply", ReplyAsync).WithName("ReplyToSubscriber").WithSummary("Mail the subscriber an engineer's reply; the ticket waits for the subscriber.");
        api.MapPost("/tickets/{number}/criticality", ChangeCriticalityAsync).WithName("ChangeCriticality").WithSummary("Change the criticality with a reason; the deadline is recomputed.");
        api.MapPost("/tickets/{number}/assignee", AssignAsync).WithName("AssignTicket").WithSummary("Assign the ticket to a staff account (its login), or to nobody (null or empty); audited.");
        return app;
    }

    internal static async Task<Results<Created<IntakeResponse>, Ok<IntakeResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateRequest request, IntakePipeline pipeline, IClock clock, CancellationToken cancellationToken)
    {
        var errors = Validate(request, out var attachments);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: "The request is not valid; nothing was stored.");

        var result = await pipeline.ProcessAsync(ToInbound(request, attachments, clock.GetCurrentInstant()), cancellationToken);
        var response = new IntakeResponse(result.Outcome.ToString(), result.Ticket?.ToString(), result.Decision?.ToString(),
            result.Refusals == RefusalReasons.None ? [] : result.Refusals.ToClauses().Split(", "), result.Evidence ?? []);
        return result.Outcome switch
        {
            IntakeOutcome.TicketCreated => TypedResults.Created($"/api/tickets/{result.Ticket}", response),
            IntakeOutcome.AddedToTicket or IntakeOutcome.Duplicate => TypedResults.Ok(response),
            IntakeOutcome.Quarantined => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The request was not accepted", detail: $"{result.Explanation} It was kept in quarantine as #{result.QuarantineId}.",
                extensions: new Dictionary<string, object?> { ["quarantineId"] = result.QuarantineId, ["reason"] = result.QuarantineReason?.ToString() }),
        };
    }

    private static InboundRequest ToInbound(CreateRequest request, List<InboundAttachment> attachments, Instant receivedAt) => new()
    {
        Channel = Channel.Api,
        Sender = request.Sender!.Trim(),
        SenderName = request.SenderName,
        Subject = request.Subject?.Trim() ?? "",
        Body = request.Body?.Trim() ?? "",
        ReceivedAt = receivedAt,
        Attachments = attachments,
        // The request as filed, JSON: what a quarantined API request keeps and is released from.
        RawSource = JsonSerializer.SerializeToUtf8Bytes(request),
    };

    /// <summary>An API request again from the raw source it was kept with (a quarantined item), through the same
    /// validation as when it was filed.</summary>
    internal static bool TryReadRaw(byte[] raw, Instant receivedAt, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InboundRequest? inbound, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        inbound = null;
        CreateRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<CreateRequest>(raw, RawJson);
        }
        catch (JsonException e)
        {
            problem = $"the kept API request is not JSON: {e.Message}";
            return false;
        }
        if (request is null)
        {
            problem = "the kept API request is empty";
            return false;
        }
        var errors = Validate(request, out var attachments);
        if (errors.Count > 0)
        {
            problem = "the kept API request is not valid: " + string.Join("; ", errors.SelectMany(e => e.Value));
            return false;
        }
        inbound = ToInbound(request, attachments, receivedAt);
        problem = null;
        return true;
    }

    private static Dictionary<string, string[]> Validate(CreateRequest request, out List<InboundAttachment> attachments)
    {
        var errors = new Dictionary<string, string[]>();
        attachments = [];
        if (string.IsNullOrWhiteSpace(request.Sender) || !MimeKit.MailboxAddress.TryParse(request.Sender, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
            errors["sender"] = ["The sender must be an e-mail address."];
        if (string.IsNullOrWhiteSpace(request.Subject) && string.IsNullOrWhiteSpace(request.Body))
            errors["body"] = ["A request needs a subject or a body."];
        if (request.Subject is { Length: > 1000 })
            errors["subject"] = ["The subject is longer than 1000 characters."];
        foreach (var (file, i) in (request.Attachments ?? []).Select((a, i) => (a, i)))
        {
            var key = $"attachments[{i}]";
            var content = new byte[((file.Content?.Length ?? 0) * 3 / 4) + 3];
            if (string.IsNullOrWhiteSpace(file.FileName))
                errors[key] = ["fileName is required."];
            else if (file.Content is null || !Convert.TryFromBase64String(file.Content, content, out var length))
                errors[key] = ["content must be base64."];
            else if (length > MaxAttachmentBytes)
                errors[key] = [$"The attachment is larger than {MaxAttachmentBytes / 1024 / 1024} MB."];
            else
                attachments.Add(new InboundAttachment(file.FileName, string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, content[..length]));
        }
        return errors;
    }

    /// <summary>The queue through the API: the same filters as the queue page (<see cref="TicketFilter"/>); with
    /// <c>q</c>, a full-text search whose items carry a snippet of the text that matched.</summary>
    internal static async Task<Results<Ok<TicketPage>, ValidationProblem>> ListAsync(
        ReglamentDb db, IClock clock, TicketStatus? status, Criticality? criticality, RequestType? type, string? subscriber,
        ReviewState? review, int page = 1, int pageSize = 50, string? q = null, string? assignee = null, bool burning = false,
        IConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = [$"page starts at 1; pageSize is 1..{MaxPageSize}."] });
        if (q is { Length: > 500 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["q is at most 500 characters."] });
        var now = clock.GetCurrentInstant();
        var filter = new TicketFilter
        {
            Text = q, Statuses = status is { } s ? [s] : null, Criticality = criticality, Type = type, Subscriber = subscriber,
            Assignee = assignee, Review = review, Burning = burning,
        };
        var counted = await QueueOrder.CountAsync(db, filter, now, cancellationToken, configuration?.GetValue("Queue:SearchCountCap", QueueOrder.CountCap) ?? QueueOrder.CountCap);
        // Tickets with a deadline first, soonest first; then the rest, newest first.
        var ids = await QueueOrder.PageAsync(db, counted, (page - 1) * pageSize, pageSize, cancellationToken);
        var items = await QueueOrder.LoadAsync(db.Tickets.AsNoTracking(), ids, cancellationToken);
        var snippets = filter.Searches ? await TicketSearch.SnippetsAsync(db, q, ids, cancellationToken) : [];
        return TypedResults.Ok(new TicketPage([.. items.Select(t => Summary(t, t.Subscriber?.Login, now) with
        {
            Snippet = snippets.TryGetValue(t.Id, out var snippet) ? snippet.Before + snippet.Match + snippet.After : null,
        })], page, pageSize, counted.Total) { TotalCapped = counted.MoreThanTotal });
    }

    internal static async Task<Results<Ok<TicketDetails>, ProblemHttpResult>> GetAsync(
        string number, ReglamentDb db, TicketClock slaClock, IClock clock, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(number, db, cancellationToken);
        return ticket is null ? problem! : TypedResults.Ok(await DetailsAsync(db, ticket, slaClock, clock.GetCurrentInstant(), cancellationToken));
    }

    internal static async Task<Results<Ok<TicketDetails>, ValidationProblem, ProblemHttpResult>> ChangeCriticalityAsync(
        string number, ChangeCriticality change, ReglamentDb db, TicketDeadlines tickets, TicketClock slaClock, IClock clock,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (change.Criticality is not { } criticality || !Enum.IsDefined(criticality))
            errors["criticality"] = ["criticality is Critical, Urgent, Normal or Low."];
        if (string.IsNullOrWhiteSpace(change.Reason))
            errors["reason"] = ["A change of criticality needs a reason."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var (ticket, problem) = await FindAsync(number, db, cancellationToken, tracked: true);
        if (ticket is null)
            return problem!;
        var now = clock.GetCurrentInstant();
        await tickets.ChangeCriticalityAsync(db, ticket, change.Criticality!.Value, change.Reason!, $"api:{user.Identity?.Name}", now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DetailsAsync(db, ticket, slaClock, now, cancellationToken));
    }

    /// <summary>The same assignment as the ticket page's (<see cref="Assignments"/>): any active staff account, or nobody.</summary>
    internal static async Task<Results<Ok<TicketDetails>, ValidationProblem, ProblemHttpResult>> AssignAsync(
        string number, AssignTicket assignment, ReglamentDb db, TicketClock slaClock, IClock clock,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (ticket, problem) = await FindAsync(number, db, cancellationToken, tracked: true);
        if (ticket is null)
            return problem!;
        var now = clock.GetCurrentInstant();
        var failure = await Assignments.AssignAsync(db, ticket, assignment.Assignee, $"api:{user.Identity?.Name}", now, cancellationToken);
        if (failure == Assignments.Failure.UnknownStaff)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["assignee"] = [$"'{assignment.Assignee}' is not an active staff account."] },
                detail: "Nothing was changed.");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DetailsAsync(db, ticket, slaClock, now, cancellationToken));
    }

    /// <summary>The same reply as the ticket page's (<see cref="EngineerReplies"/>): mailed, counted on the clock, and the
    /// ticket moved to «ожидает абонента».</summary>
    internal static async Task<Results<Ok<TicketDetails>, ValidationProblem, ProblemHttpResult>> ReplyAsync(
        string number, ReplyRequest reply, ReglamentDb db, EngineerReplies replies, TicketClock slaClock, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(reply.Text))
            errors["text"] = ["A reply needs a text."];
        if (string.IsNullOrWhiteSpace(reply.Engineer))
            errors["engineer"] = ["A reply needs the engineer's name."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: "Nothing was sent.");
        var (ticket, problem) = await FindAsync(number, db, cancellationToken, tracked: true);
        if (ticket is null)
            return problem!;
        var now = clock.GetCurrentInstant();
        var failure = await replies.ReplyAsync(db, ticket, reply.Text, reply.Engineer!.Trim(), now, cancellationToken);
        if (failure == EngineerReplies.Failure.NoSubscriberMessage)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nobody to reply to", detail: $"Ticket {ticket.Number} has no message from the subscriber.");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DetailsAsync(db, ticket, slaClock, now, cancellationToken));
    }

    private static async Task<(Ticket? Ticket, ProblemHttpResult? Problem)> FindAsync(string number, ReglamentDb db, CancellationToken cancellationToken, bool tracked = false)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a ticket number", detail: $"'{number}' is not a ticket number like RG-000042."));
        var query = db.Tickets.Include(t => t.Subscriber);
        var ticket = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        return ticket is null
            ? (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: $"There is no ticket {parsed}."))
            : (ticket, null);
    }

    /// <summary>The ticket's conversation, decisions and audit trail, read as the views need them: the messages'
    /// raw sources (whole e-mails with their attachments) are never loaded for this.</summary>
    private static async Task<TicketDetails> DetailsAsync(ReglamentDb db, Ticket ticket, TicketClock slaClock, Instant now, CancellationToken cancellationToken)
    {
        // Read from the stored events: the explanation is how the cached deadline was reached, not a recomputation beside it.
        if (!db.Entry(ticket).Collection(t => t.SlaEvents).IsLoaded)
            ticket.SlaEvents.AddRange(await db.SlaEvents.AsNoTracking().Where(e => e.TicketId == ticket.Id).ToListAsync(cancellationToken));
        var deadline = DeadlineView.Of(slaClock.Read(ticket, now));
        var stored = await db.Messages.AsNoTracking().Where(m => m.TicketId == ticket.Id).OrderBy(m => m.At).ThenBy(m => m.Id)
            .Select(m => new MessageView(m.Direction, m.Direction.ToString(), m.At, m.Author, null, m.Subject, m.Body, m.NewText ?? m.Body,
                m.Attachments.Select(a => new AttachmentView(a.FileName, a.ContentType, a.Length, a.Sha256)).ToList(), false, null))
            .ToListAsync(cancellationToken);
        // What support mailed lives in the outbox, not among the messages. SLA notices carry the ticket's id but go to
        // staff, not the subscriber: they are not part of the conversation.
        var mailed = await db.Outbox.AsNoTracking().Where(o => o.TicketId == ticket.Id && o.Kind != Mail.OutgoingKind.SlaNotification).OrderBy(o => o.Id)
            .Select(o => new MessageView(MessageDirection.Outbound, o.Kind.ToString(), o.CreatedAt, null, o.To, o.Subject, o.Body, o.Body, new List<AttachmentView>(), o.AutoSubmitted, o.SentAt))
            .ToListAsync(cancellationToken);
        // One thread in time order; at the same instant the subscriber's message comes before what answered it (a
        // stable sort keeps each source's own order).
        var messages = stored.Concat(mailed).OrderBy(m => m.At).ToList();
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.TicketId == ticket.Id).OrderBy(d => d.DecidedAt).ToListAsync(cancellationToken);
        var audit = await db.AuditEvents.AsNoTracking().Where(a => a.TicketId == ticket.Id).OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new AuditView(a.At, a.Actor, a.Action, a.Details)).ToListAsync(cancellationToken);
        var letter = await db.OfficialLetters.AsNoTracking().Where(l => l.TicketId == ticket.Id)
            .Select(l => new OfficialLetterView(l.Number, l.Date, l.Signatory, l.RegisteredBy, l.RegisteredAt)).FirstOrDefaultAsync(cancellationToken);
        return new TicketDetails(
            Summary(ticket, ticket.Subscriber?.Login, now),
            deadline,
            messages,
            [.. decisions.Select(DecisionView.Of)],
            audit,
            letter,
            Review(ticket, decisions, audit));
    }

    private static TicketSummary Summary(Ticket t, string? login, Instant now) =>
        new(t.Number.ToString(), t.Subject, login, t.Channel, t.Type, t.Criticality, t.Status, t.ReceivedAt, t.ResponseDeadline, t.DeadlineProvisional, SlaStates.Evaluate(t, now), t.Review,
            t.Subscriber?.Name, t.Assignee);

    /// <summary>The review band's part of a ticket: the rules' proposal and who settled it (from the audit trail).</summary>
    private static ReviewView? Review(Ticket ticket, IEnumerable<Decision> decisions, IEnumerable<AuditView> audit)
    {
        if (ticket.Review == ReviewState.None || Policy.RefusalReview.Proposal(decisions) is not { } proposal)
            return null;
        var settled = ticket.Review == ReviewState.Pending ? null
            : audit.LastOrDefault(a => a.Action is Policy.RefusalReview.Confirmed or Policy.RefusalReview.Dismissed or "decision.overridden");
        return new ReviewView(ticket.Review, DecisionView.Of(proposal).Proposed, proposal.RefusalConfidence, Policy.RefusalReview.EvidenceFor(proposal),
            settled?.Actor, settled?.At);
    }
}
