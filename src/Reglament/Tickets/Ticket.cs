using NodaTime;
using Reglament.Subscribers;

namespace Reglament.Tickets;

/// <summary>A subscriber's request and everything that happened to it.</summary>
public sealed class Ticket
{
    public long Id { get; private set; }

    public TicketNumber Number => new(Id);

    public long? SubscriberId { get; set; }

    public Subscriber? Subscriber { get; set; }

    public Channel Channel { get; set; }

    public RequestType Type { get; set; }

    public Criticality Criticality { get; set; }

    /// <summary>True when the subscriber named the criticality; false when Reglament inferred it.</summary>
    public bool CriticalityDeclared { get; set; }

    public TicketStatus Status { get; private set; } = TicketStatus.New;

    public required string Subject { get; set; }

    /// <summary>When support received the request; the SLA clock counts from here (R12).</summary>
    public Instant ReceivedAt { get; set; }

    /// <summary>The guaranteed response deadline in support working time (R1, R12); null while the clock is paused.
    /// A cache of <see cref="Sla.SlaClock.Read"/> over <see cref="SlaEvents"/>, kept for the queue's order and the
    /// watcher's queries; only <see cref="Apply"/> sets it.</summary>
    public Instant? ResponseDeadline { get; private set; }

    /// <summary>True when the deadline rests on a calendar year that is not yet confirmed by a decree.</summary>
    public bool DeadlineProvisional { get; private set; }

    /// <summary>The production-calendar version the deadline was computed with.</summary>
    public string? CalendarVersion { get; private set; }

    /// <summary>When the response that the current deadline measures reached the subscriber: an engineer's reply, or an
    /// automatic answer the rules count (a refusal; a knowledge-base answer to a question). An acknowledgement never
    /// counts. Null again after a reopen: the fresh deadline waits for a fresh response. Cached like the deadline.</summary>
    public Instant? FirstRespondedAt { get; private set; }

    /// <summary>When the at-risk warning is due (a configured share of the working time used). Cached like the deadline.</summary>
    public Instant? AtRiskAt { get; private set; }

    /// <summary>When the at-risk warning was raised; set once, so a restart or a second node does not repeat it.</summary>
    public Instant? SlaWarnedAt { get; set; }

    /// <summary>When the breach was raised; set once, like <see cref="SlaWarnedAt"/>.</summary>
    public Instant? SlaBreachedAt { get; set; }

    public string? Assignee { get; set; }

    /// <summary>Whether a refusal the rules proposed waits for an engineer («на проверку»), and how it ended.</summary>
    public ReviewState Review { get; set; }

    /// <summary>The monitoring incident this request is most likely about (the subscriber is affected by it).</summary>
    public long? RelatedIncidentId { get; set; }

    public List<Message> Messages { get; } = [];

    public List<Decision> Decisions { get; } = [];

    public List<AuditEvent> AuditEvents { get; } = [];

    /// <summary>The response clock's history: what the deadline is derived from (<see cref="Sla.SlaClock"/>).</summary>
    public List<Sla.SlaEvent> SlaEvents { get; } = [];

    /// <summary>The deadlines read from <see cref="SlaEvents"/>, kept for the report (<see cref="Sla.KeptDeadline"/>).</summary>
    public List<Sla.KeptDeadline> KeptDeadlines { get; } = [];

    /// <summary>Caches a reading of the clock (<see cref="Sla.TicketClock"/> is the only caller). A deadline or an
    /// at-risk instant moved into the future may warn and breach again.</summary>
    internal void Apply(Sla.SlaReading reading, Instant now)
    {
        ResponseDeadline = reading.Due;
        AtRiskAt = reading.AtRiskAt;
        FirstRespondedAt = reading.Response?.At;
        DeadlineProvisional = reading.Provisional;
        CalendarVersion = reading.CalendarVersion;
        // A paused clock keeps the claims: resuming must not repeat a warning already given for the same instant.
        if (reading.AtRiskAt > now)
            SlaWarnedAt = null;
        if (reading.Due > now)
            SlaBreachedAt = null;
    }

    /// <summary>An engineer answered the subscriber: the ticket now waits for the subscriber («ожидает абонента»), whose
    /// next message brings it back to Open (intake's reply handling). Only a ticket being worked on moves: a refused,
    /// resolved or closed one keeps its status, since a note to the subscriber there does not reopen the work. The
    /// status does not pause the response clock — only an information request does (docs/working-time.md); the reply
    /// itself is the response the deadline measures, recorded by the caller as a clock event.</summary>
    public void EngineerReplied()
    {
        if (Status is TicketStatus.New or TicketStatus.Open)
            MoveTo(TicketStatus.AwaitingSubscriber);
    }

    /// <summary>Moves the ticket through its lifecycle; an impossible move is a bug in the caller.</summary>
    public void MoveTo(TicketStatus status)
    {
        if (!TicketLifecycle.CanMove(Status, status))
            throw new InvalidOperationException($"Ticket {Number} cannot move from {Status} to {status}.");
        Status = status;
    }
}
