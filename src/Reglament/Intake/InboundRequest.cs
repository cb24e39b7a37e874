using NodaTime;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>A request as it reached support, whatever the channel: what the rules read.</summary>
public sealed record InboundRequest
{
    public required Channel Channel { get; init; }

    /// <summary>The sender's e-mail address, as given.</summary>
    public required string Sender { get; init; }

    public string? SenderName { get; init; }

    public required string Subject { get; init; }

    /// <summary>Plain text of the body.</summary>
    public required string Body { get; init; }

    /// <summary>Sanitized HTML for display, when there was HTML.</summary>
    public string? SafeHtml { get; init; }

    public string? InternetMessageId { get; init; }

    public string? InReplyTo { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    public required Instant ReceivedAt { get; init; }

    public IReadOnlyList<InboundAttachment> Attachments { get; init; } = [];

    /// <summary>Values of the <c>Authentication-Results</c> headers (RFC 8601), as received; only those added by the
    /// operator's own receiving server are trusted (R6, <see cref="Policy.SenderAuthenticityRule"/>).</summary>
    public IReadOnlyList<string> AuthenticationResults { get; init; } = [];

    /// <summary>Exactly what arrived, kept with the message or the quarantined item.</summary>
    public required byte[] RawSource { get; init; }

    /// <summary>Subject and body together: where the rules look for what the subscriber wrote.</summary>
    public string Text => Subject + "\n" + Body;
}

public sealed record InboundAttachment(string FileName, string ContentType, byte[] Content);
