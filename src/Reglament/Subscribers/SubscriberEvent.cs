using NodaTime;

namespace Reglament.Subscribers;

/// <summary>One change of a subscriber, kept for good: who, when, what changed and why. A subscriber's status
/// decides refusals (R11c), so the desk must be able to show who suspended whom and on what grounds.</summary>
/// <remarks>Its own table rather than the tickets' <c>AuditEvent</c>, which belongs to a ticket.</remarks>
public sealed class SubscriberEvent
{
    public long Id { get; private set; }

    public long SubscriberId { get; set; }

    public Instant At { get; set; }

    /// <summary>The staff login for a change on the pages (as in the tickets' audit trail); <c>cli</c> or <c>import</c> otherwise.</summary>
    public required string Actor { get; set; }

    /// <summary><c>created</c>, <c>status.changed</c>, <c>details.changed</c>, <c>contact.added</c>,
    /// <c>contact.removed</c>, <c>imported</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What changed, e.g. <c>Active → Suspended</c>.</summary>
    public string? Details { get; set; }

    /// <summary>Why; required for a change of status.</summary>
    public string? Reason { get; set; }
}
