using NodaTime;
using Reglament.Sla;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Web.Api;

/// <summary>A request filed through the API: channel-neutral, the same rules as e-mail.</summary>
public sealed record CreateRequest(string? Sender, string? SenderName, string? Subject, string? Body, IReadOnlyList<CreateAttachment>? Attachments);

/// <summary>An attachment with its content in base64.</summary>
public sealed record CreateAttachment(string? FileName, string? ContentType, string? Content);

public sealed record IntakeResponse(string Outcome, string? Ticket, string? Decision, IReadOnlyList<string> Reasons, IReadOnlyList<Evidence> Evidence);

/// <summary>A ticket in a list. <c>Review</c> is the review band: <c>Pending</c> while a refusal the rules proposed waits
/// for an engineer («на проверку»), then <c>Confirmed</c> or <c>Dismissed</c>; <c>None</c> when nothing was proposed.</summary>
public sealed record TicketSummary(
    string Number, string Subject, string? Subscriber, Channel Channel, RequestType Type, Criticality Criticality,
    TicketStatus Status, Instant ReceivedAt, Instant? ResponseDeadline, bool DeadlineProvisional, SlaState Sla, ReviewState Review,
    string? SubscriberName = null, string? Assignee = null, string? Snippet = null);

/// <summary>One page of a list. <c>Total</c>: how many tickets match — except for a search for a broad word, counted only
/// up to 5,000: then <c>TotalCapped</c> is true and more than <c>Total</c> match (the pages go on past it).</summary>
public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, int Page, int PageSize, int Total)
{
    public bool TotalCapped { get; init; }
}

/// <summary>One message of the conversation, in either direction. <c>Kind</c>: <c>Inbound</c> (the subscriber's),
/// <c>InternalNote</c> (engineers' only), or for <c>Outbound</c> what was mailed (<c>Acknowledgement</c>,
/// <c>EngineerReply</c>, <c>Refusal</c>, <c>KnowledgeBaseAnswer</c>, <c>RequestForInformation</c>…). <c>At</c>: when
/// support received it, or wrote it; <c>SentAt</c>: when an outbound one left (null while queued). <c>Author</c> is
/// null for outbound mail (the outbox does not record a person; the audit trail does), <c>To</c> null otherwise;
/// <c>Automatic</c>: sent without a person (RFC 3834 auto-replied). <c>Body</c>: the whole text as received (for mail
/// with its quoted history and signature); <c>NewText</c>: what was written this time — for a subscriber's mail the
/// body without the quoted earlier messages, signature and phone footer (the text the rules read), otherwise the body.</summary>
public sealed record MessageView(MessageDirection Direction, string Kind, Instant At, string? Author, string? To, string Subject, string Body, string NewText,
    IReadOnlyList<AttachmentView> Attachments, bool Automatic = false, Instant? SentAt = null);

public sealed record AttachmentView(string FileName, string ContentType, long Length, string Sha256);

/// <summary>A decision with its evidence. <c>Proposed</c>: refusal clauses the rules found without being sure enough to
/// refuse (the review band); <c>RefusalConfidence</c>: how sure they were, the lowest confidence (0–1) among the refused
/// and proposed reasons.</summary>
public sealed record DecisionView(DecisionOutcome Outcome, IReadOnlyList<string> Reasons, IReadOnlyList<Evidence> Evidence, Instant DecidedAt, string DecidedBy, string? Comment,
    IReadOnlyList<string> Proposed, double? RefusalConfidence)
{
    public static DecisionView Of(Decision d) => new(d.Outcome, Clauses(d.Reasons), d.Evidence, d.DecidedAt, d.DecidedBy, d.Comment,
        Clauses(d.ProposedReasons), d.RefusalConfidence);

    private static string[] Clauses(RefusalReasons reasons) => reasons == RefusalReasons.None ? [] : reasons.ToClauses().Split(", ");
}

/// <summary>The review band («на проверку»): the refusal the rules proposed instead of making it (<c>Proposed</c>, e.g.
/// <c>["R11d"]</c>), how sure they were (<c>Confidence</c>, 0–1, below the threshold), the evidence — what the rules of
/// those clauses found, with the words, and why the refusal was not made — and the <c>State</c> (<c>Pending</c>,
/// <c>Confirmed</c>, <c>Dismissed</c>) with the engineer who settled it and when (null while pending).</summary>
public sealed record ReviewView(ReviewState State, IReadOnlyList<string> Proposed, double? Confidence, IReadOnlyList<Evidence> Evidence,
    string? ReviewedBy, Instant? ReviewedAt);

public sealed record AuditView(Instant At, string Actor, string Action, string? Details);

/// <summary>The response deadline and how it was reached, read from the ticket's clock events (docs/working-time.md):
/// where the clock started (<c>Start</c>: the receipt, or the reopening message), whether it is paused while support
/// waits for information (<c>Due</c> is then null), the response that counts, the working periods counted and the days
/// skipped, every event with what it did (<c>Steps</c>), and earlier deadlines of a reopened ticket (<c>Cycles</c>).</summary>
public sealed record DeadlineView(Instant? Due, Instant? AtRiskAt, bool Provisional, string CalendarVersion,
    IReadOnlyList<WorkingPeriod> Consumed, IReadOnlyList<SkippedDay> Skipped,
    Instant? Start = null, Criticality? Criticality = null, bool Paused = false, SlaResponse? Response = null,
    IReadOnlyList<SlaStep>? Steps = null, IReadOnlyList<SlaCycle>? Cycles = null)
{
    public static DeadlineView? Of(SlaReading reading) => reading.Current is not { } current ? null
        : new DeadlineView(current.Due, current.AtRiskAt, reading.Provisional, reading.CalendarVersion, reading.Consumed, reading.Skipped,
            current.Start, current.Criticality, reading.Paused, current.Response, reading.Steps, reading.Cycles);
}

public sealed record TicketDetails(TicketSummary Ticket, DeadlineView? Deadline, IReadOnlyList<MessageView> Messages, IReadOnlyList<DecisionView> Decisions, IReadOnlyList<AuditView> Audit,
    OfficialLetterView? Letter = null, ReviewView? Review = null);

/// <summary>The official letter a request was registered from (R6): its number and date, who signed it, and the
/// engineer who verified letterhead, signature and seal.</summary>
public sealed record OfficialLetterView(string Number, LocalDate Date, string Signatory, string RegisteredBy, Instant RegisteredAt);

/// <summary>An engineer's reply to the subscriber, mailed in the ticket's thread.</summary>
/// <param name="Text">The reply: required.</param>
/// <param name="Engineer">Who replies (recorded in the audit trail and the clock; the API key does not name a person yet).</param>
public sealed record ReplyRequest(string? Text, string? Engineer);

/// <summary>Who works a ticket: a staff login, or null/empty for nobody.</summary>
public sealed record AssignTicket(string? Assignee);

/// <summary>An engineer's change of criticality; the reason is required and audited.</summary>
public sealed record ChangeCriticality(Criticality? Criticality, string? Reason);
