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
}

public static class SlaStates
{
    /// <summary>A pure function of the ticket's times and the instant asked about.</summary>
    public static SlaState Evaluate(Ticket ticket, Instant now) => (ticket.ResponseDeadline, ticket.FirstRespondedAt) switch
    {
        (null, _) => SlaState.OnTrack,
        ({ } due, { } responded) => responded <= due ? SlaState.Met : SlaState.Breached,
        ({ } due, null) when now >= due => SlaState.Breached,
        _ when ticket.AtRiskAt is { } risk && now >= risk => SlaState.AtRisk,
        _ => SlaState.OnTrack,
    };
}
