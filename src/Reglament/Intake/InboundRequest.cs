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

    /// <summary>Mail channel: what the subscriber wrote this time — the body without the quoted earlier messages,
    /// the signature and a phone's footer (<see cref="Mail.QuotedText.NewText"/>, the one function that decides it).
    /// Null when nothing was cut. The rules and the knowledge base read this, and it is stored as the message's
    /// <c>NewText</c>; <see cref="Body"/> stays whole.</summary>
    public string? NewText { get; init; }

    /// <summary>Mail channel: the new text with the subscriber's signature kept (only the quoted history cut), or null
    /// when that cuts nothing. Where R7 looks for the login and client ID (<see cref="OwnText"/>).</summary>
    public string? SignedNewText { get; init; }

    /// <summary>Mail channel: why the message was written by a machine (Auto-Submitted, Precedence, List-Id,
    /// a MAILER-DAEMON sender, a delivery report), or null for mail a person wrote. Nobody answers machines.</summary>
    public string? AutomatedBecause { get; init; }

    /// <summary>Mail channel: why the message is a vacation or out-of-office reply (<see cref="Mail.AutomatedMail.Vacation"/>),
    /// or null. Never a request, never acknowledged.</summary>
    public string? VacationBecause { get; init; }

    /// <summary>Mail channel: a delivery status notification (bounce) or another multipart/report.</summary>
    public bool IsDeliveryReport { get; init; }

    /// <summary>Mail channel: where in an IMAP mailbox the message was read, so a crash after the commit and before
    /// the move on the server does not process it twice.</summary>
    public MailboxPosition? MailboxPosition { get; init; }

    /// <summary>The subscriber the channel itself established, so the sender's address does not choose it and neither
    /// the Authentication-Results check nor the login in the text applies (R6, R7): on the portal the one the signed-in
    /// contact acts for (the one-time link proved the address); for an official letter the one the engineer
    /// registered it for.</summary>
    public long? AuthorizedSubscriberId { get; init; }

    /// <summary>Official-letter channel: the letter's number, date, signatory and the engineer who verified it.</summary>
    public Letters.LetterFacts? Letter { get; init; }

    /// <summary>Portal channel: the ticket a reply was written in; null for a new request, which is never threaded
    /// by a ticket tag in its subject.</summary>
    public TicketNumber? PortalTicket { get; init; }

    /// <summary>Subject and body without the quoted history but with the signature: where the login, client ID and
    /// registration e-mail are looked for (R7).</summary>
    public string OwnText => Subject + "\n" + (NewText is null ? Body : SignedNewText ?? Body);

    /// <summary>Subject and body together: where the rules look for what the subscriber wrote.</summary>
    public string Text => Subject + "\n" + (NewText ?? Body);
}

/// <summary>A message's identity on an IMAP server: the configured mailbox, the folder's UIDVALIDITY and the UID.</summary>
public sealed record MailboxPosition(string Mailbox, long UidValidity, long Uid);

/// <summary>A file that came with a request. <see cref="ContentId"/> is the MIME part's Content-ID when the mail's
/// HTML shows it inline (<c>&lt;img src="cid:…"&gt;</c>).</summary>
public sealed record InboundAttachment(string FileName, string ContentType, AttachmentContent Content, string? ContentId = null)
{
    public InboundAttachment(string fileName, string contentType, byte[] content, string? contentId = null)
        : this(fileName, contentType, AttachmentContent.Of(content), contentId)
    {
    }
}
