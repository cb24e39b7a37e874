using NodaTime;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Why a message did not become a ticket or a reply.</summary>
public enum QuarantineReason
{
    Unparseable,
    Oversize,
    Loop,
    UnknownSender,
    /// <summary>A reply to a ticket from an address that is not a contact of the ticket's subscriber.</summary>
    ForeignReply,
    /// <summary>Over the per-message budget of intake (<see cref="Mail.IntakeLimits"/>): header size, parts, nesting,
    /// line length or text size. Kept whole and not parsed further, so one hostile message cannot stall intake.</summary>
    TooComplex,
    /// <summary>A reply by mail whose sender the operator's border server did not authenticate (R6,
    /// <see cref="Policy.SenderAuthenticityRule"/>). A new request in that case is refused (R11a) instead.</summary>
    NotAuthenticated,
}

/// <summary>A message that could not be accepted, kept whole with its reason until an administrator releases it.</summary>
public sealed class QuarantinedItem
{
    public long Id { get; private set; }

    public Instant At { get; set; }

    public QuarantineReason Reason { get; set; }

    public required string Explanation { get; set; }

    public Channel Channel { get; set; }

    public string? Sender { get; set; }

    public string? Subject { get; set; }

    public string? InternetMessageId { get; set; }

    public required byte[] RawSource { get; set; }

    public Instant? ReleasedAt { get; set; }

    /// <summary>Who released it: a staff login, or <c>cli</c>.</summary>
    public string? ReleasedBy { get; set; }

    /// <summary>What the release gave: the ticket's number, or the new quarantined item and its reason.</summary>
    public string? ReleaseOutcome { get; set; }
}
