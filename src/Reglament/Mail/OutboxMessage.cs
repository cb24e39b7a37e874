using NodaTime;

namespace Reglament.Mail;

public enum OutgoingKind
{
    Acknowledgement,
    Refusal,
    KnowledgeBaseAnswer,
    RequestForInformation,
    EngineerReply,
    SlaNotification,
    /// <summary>To the subscribers a monitoring incident affects.</summary>
    IncidentNotification,
    /// <summary>To a subscriber's registered address: mail in its name failed the sender check (R6).</summary>
    ForgedSenderNotice,
    /// <summary>A one-time link to the customer portal, asked for on its sign-in page.</summary>
    PortalSignInLink,
}

/// <summary>A message Reglament will send. It is written in the same transaction as the ticket change that caused it,
/// so a crash can delay a reply but never lose it; a sender worker delivers it later.</summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }

    public long? TicketId { get; set; }

    public OutgoingKind Kind { get; set; }

    public required string To { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    /// <summary>Our own Message-ID (without brackets), so replies to it thread back to the ticket.</summary>
    public required string InternetMessageId { get; set; }

    public string? InReplyTo { get; set; }

    public string? References { get; set; }

    /// <summary>Automatic replies carry <c>Auto-Submitted: auto-replied</c> (RFC 3834) so they never loop.</summary>
    public bool AutoSubmitted { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>After a failed attempt: not before this instant (exponential backoff). Null: as soon as possible.</summary>
    public Instant? NextAttemptAt { get; set; }

    /// <summary>The node that is sending it right now, and until when its claim holds (see <see cref="OutboxSender"/>).</summary>
    public string? ClaimedBy { get; set; }

    public Instant? ClaimedUntil { get; set; }

    /// <summary>Given up: the server refused it permanently, or it failed <see cref="SmtpOptions.MaxAttempts"/> times.</summary>
    public Instant? FailedAt { get; set; }

    /// <summary>A notice nobody answered (SLA, incident, forged sender, sign-in link): a new thread of its own,
    /// marked automatic so that responders do not answer it.</summary>
    public static OutboxMessage Notice(OutgoingKind kind, string to, RenderedMessage rendered, long? ticketId, string messageIdDomain, Instant now) => new()
    {
        TicketId = ticketId,
        Kind = kind,
        To = to,
        Subject = rendered.Subject,
        Body = rendered.Body,
        InternetMessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(messageIdDomain),
        AutoSubmitted = true,
        CreatedAt = now,
    };
}
