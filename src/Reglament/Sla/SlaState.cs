using NodaTime;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>Where a ticket stands against its response deadline (R12).</summary>
public enum SlaState
{
    OnTrack,
    /// <summary>The configured share of the working time is used and nobody has answered.</summary>
    AtRisk,
    /// <summary>The deadline passed without a response (or the response came late).</summary>
    Breached,
    /// <summary>Answered in time.</summary>
    Met,
    /// <summary>The clock is stopped while support waits for the information R8 requires; no deadline runs.</summary>
    Paused,
}

public static class SlaStates
{
    /// <summary>The state from the ticket's cached reading (<see cref="Ticket.ResponseDeadline"/>, <see cref="Ticket.AtRiskAt"/>,
    /// <see cref="Ticket.FirstRespondedAt"/>, all set only from <see cref="SlaClock.Read"/>) by the clock's own rule,
    /// so a list of tickets needs no events.</summary>
    public static SlaState Evaluate(Ticket ticket, Instant now) => SlaClock.StateOf(ticket.ResponseDeadline, ticket.AtRiskAt, ticket.FirstRespondedAt, now);
}
