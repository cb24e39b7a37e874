using Reglament.Tickets;

namespace Reglament.Intake;

public enum IntakeOutcome
{
    TicketCreated,
    AddedToTicket,
    /// <summary>The same Message-ID was processed before; nothing changed.</summary>
    Duplicate,
    Quarantined,
}

/// <summary>How a request ended: as a ticket, a reply in a ticket, a duplicate, or a quarantined item with a reason.</summary>
public sealed record IntakeResult(
    IntakeOutcome Outcome,
    TicketNumber? Ticket = null,
    DecisionOutcome? Decision = null,
    RefusalReasons Refusals = RefusalReasons.None,
    IReadOnlyList<Evidence>? Evidence = null,
    long? QuarantineId = null,
    QuarantineReason? QuarantineReason = null,
    string? Explanation = null);
