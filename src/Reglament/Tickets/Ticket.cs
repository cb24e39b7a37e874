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

    /// <summary>The guaranteed response deadline in support working time (R1, R12); null for refused tickets.</summary>
    public Instant? ResponseDeadline { get; set; }

    /// <summary>True when the deadline rests on a calendar year that is not yet confirmed by a decree.</summary>
    public bool DeadlineProvisional { get; set; }

    /// <summary>The production-calendar version the deadline was computed with.</summary>
    public string? CalendarVersion { get; set; }

    /// <summary>When the first response that the regulation counts reached the subscriber: a person's reply, or an
    /// automatic answer configured to count (a refusal, a knowledge-base answer). An acknowledgement does not count.</summary>
    public Instant? FirstRespondedAt { get; private set; }

    /// <summary>When the at-risk warning is due (a configured share of the working time used).</summary>
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

    /// <summary>Sets the response deadline. A deadline moved into the future may warn and breach again.</summary>
    public void ApplyDeadline(Sla.ResponseDeadline deadline, Instant now)
    {
        ResponseDeadline = deadline.Due;
        AtRiskAt = deadline.AtRiskAt;
        DeadlineProvisional = deadline.Provisional;
        CalendarVersion = deadline.CalendarVersion;
        if (deadline.AtRiskAt > now)
            SlaWarnedAt = null;
        if (deadline.Due > now)
            SlaBreachedAt = null;
    }

    /// <summary>Records a response to the subscriber; only the first one meets (or misses) the deadline.</summary>
    public void RecordResponse(Instant at) => FirstRespondedAt ??= at;

    /// <summary>Moves the ticket through its lifecycle; an impossible move is a bug in the caller.</summary>
    public void MoveTo(TicketStatus status)
    {
        if (!TicketLifecycle.CanMove(Status, status))
            throw new InvalidOperationException($"Ticket {Number} cannot move from {Status} to {status}.");
        Status = status;
    }
}
