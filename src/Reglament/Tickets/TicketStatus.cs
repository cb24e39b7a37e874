namespace Reglament.Tickets;

/// <summary>A ticket's lifecycle. <see cref="Refused"/> is a decision, not an error: it can be overridden.</summary>
public enum TicketStatus
{
    /// <summary>Received and accepted; nobody has answered yet.</summary>
    New,
    /// <summary>An engineer works on it.</summary>
    Open,
    /// <summary>Support asked the subscriber for something (R8) or answered and waits for feedback.</summary>
    AwaitingSubscriber,
    Resolved,
    Closed,
    /// <summary>Refused under R11 with a recorded reason.</summary>
    Refused,
}

public static class TicketLifecycle
{
    /// <summary>Which moves a person or a rule may make. Closed is final but a new message reopens through Open.</summary>
    public static bool CanMove(TicketStatus from, TicketStatus to) => (from, to) switch
    {
        _ when from == to => false,
        (TicketStatus.Closed, TicketStatus.Open) => true,
        (TicketStatus.Closed, _) => false,
        (_, TicketStatus.New) => false,
        _ => true,
    };

    /// <summary>A person's change of status with its reason, audited — the ticket page's form and the queue's bulk
    /// action; false (nothing changed) when the move is not allowed.</summary>
    public static bool Move(Ticket ticket, TicketStatus to, string reason, string actor, NodaTime.Instant now)
    {
        if (!CanMove(ticket.Status, to))
            return false;
        var before = ticket.Status;
        ticket.MoveTo(to);
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "status.changed", Details = $"{before} → {to}; reason: {reason.Trim()}" });
        return true;
    }
}
