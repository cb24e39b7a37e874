using NodaTime;

namespace Reglament.Mail;

/// <summary>A message of a watched IMAP mailbox that intake has finished with, by the server's identity for it
/// (mailbox, UIDVALIDITY, UID). Written in the same transaction as the ticket change, so after a crash between
/// the commit and the move on the server the message is recognised and only moved, never processed twice —
/// even when it has no Message-ID or was quarantined.</summary>
public sealed class ProcessedMailboxMessage
{
    public long Id { get; private set; }

    /// <summary>The mailbox as configured: <c>user@host/folder</c>.</summary>
    public required string Mailbox { get; set; }

    public long UidValidity { get; set; }

    public long Uid { get; set; }

    public Instant At { get; set; }
}
