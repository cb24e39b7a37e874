using NodaTime;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Monitoring;

/// <summary>The link between an alert (by its source and fingerprint) and the incident ticket it opened. The latest
/// row of a fingerprint is the current one; an alert that fires again after the reopen window gets a new row.</summary>
public sealed class MonitoringIncident
{
    public long Id { get; private set; }

    public long TicketId { get; set; }

    public Ticket Ticket { get; set; } = null!;

    /// <summary><c>alertmanager</c> or <c>zabbix</c>: fingerprints are only unique within their source.</summary>
    public required string Source { get; set; }

    public required string Fingerprint { get; set; }

    public required string AlertName { get; set; }

    public string? Severity { get; set; }

    public Instant OpenedAt { get; set; }

    public Instant LastNotifiedAt { get; set; }

    public int Notifications { get; set; }

    /// <summary>When the alert last cleared; null while it fires.</summary>
    public Instant? ResolvedAt { get; set; }
}

/// <summary>A subscriber affected by a monitoring incident, and the resource that links them.</summary>
public sealed class IncidentSubscriber
{
    public long TicketId { get; set; }

    public long SubscriberId { get; set; }

    public Subscriber Subscriber { get; set; } = null!;

    public required string Resource { get; set; }

    public Instant LinkedAt { get; set; }
}
