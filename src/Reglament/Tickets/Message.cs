using NodaTime;

namespace Reglament.Tickets;

public enum MessageDirection
{
    Inbound,
    Outbound,
    /// <summary>An engineers' note, never sent to the subscriber.</summary>
    InternalNote,
}

/// <summary>One message in a ticket's conversation. The raw source is always kept, so nothing is lost to parsing.</summary>
public sealed class Message
{
    public long Id { get; private set; }

    public long TicketId { get; set; }

    public MessageDirection Direction { get; set; }

    public Instant At { get; set; }

    public required string Author { get; set; }

    public string? AuthorName { get; set; }

    public required string Subject { get; set; }

    /// <summary>Plain text of the whole message as received (for mail: with the quoted history and the signature).</summary>
    public required string Body { get; set; }

    /// <summary>What the subscriber wrote this time (<see cref="Mail.QuotedText.NewText"/>, filled at intake): the body
    /// without quoted earlier messages, signature and a phone's footer. Null when that is the whole body — and in rows
    /// stored before the column existed; <see cref="Shown"/> falls back to the body.</summary>
    public string? NewText { get; set; }

    /// <summary>The text to show and to read as the subscriber's words: the new text, or the body when there is none.</summary>
    public string Shown => NewText ?? Body;

    /// <summary>Sanitized HTML for display, when the original had HTML.</summary>
    public string? SafeHtml { get; set; }

    /// <summary>RFC 5322 Message-ID without angle brackets; unique, so a redelivered mail is not stored twice.</summary>
    public string? InternetMessageId { get; set; }

    public string? InReplyTo { get; set; }

    /// <summary>The message exactly as received; loaded only when asked for (<c>Include(m => m.Source)</c>).</summary>
    public MessageSource? Source { get; set; }

    public List<Attachment> Attachments { get; } = [];
}

/// <summary>The bytes a message arrived as (RFC 5322 for mail, JSON for the API and the web forms). It lives in the
/// messages table but is its own entity, so that showing a conversation never loads whole e-mails with their
/// attachments: only what asks for the source gets it.</summary>
public sealed class MessageSource
{
    public long MessageId { get; private set; }

    public required byte[] Content { get; init; }

    public static MessageSource? Of(byte[]? content) => content is null ? null : new MessageSource { Content = content };
}

/// <summary>A file attached to a message; the content lives once in <see cref="Blob"/>, addressed by its SHA-256.</summary>
public sealed class Attachment
{
    public long Id { get; private set; }

    public long MessageId { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Length { get; set; }

    public required string Sha256 { get; set; }

    /// <summary>The MIME Content-ID (without angle brackets) a mail's HTML refers to as <c>cid:</c>; null for plain
    /// attachments.</summary>
    public string? ContentId { get; set; }
}

/// <summary>Content-addressed bytes: the same file attached twice is stored once.</summary>
public sealed class Blob
{
    public required string Sha256 { get; init; }

    public required byte[] Content { get; init; }
}
