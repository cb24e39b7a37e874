namespace Reglament.Mail;

/// <summary>How Reglament presents itself in the mail it writes.</summary>
public sealed class MailOptions
{
    /// <summary>The support address replies come from (R6 names it in the contract).</summary>
    public string SupportAddress { get; set; } = "support@example.ru";

    public string SupportName { get; set; } = "Служба технической поддержки";

    /// <summary>The right-hand side of the Message-IDs Reglament generates.</summary>
    public string MessageIdDomain { get; set; } = "reglament.local";

    /// <summary>Public address of the knowledge base, so links in mail point to the right host (R4).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Other addresses that are Reglament itself (aliases, the IMAP accounts it reads). Mail from any of
    /// them, or from <see cref="SupportAddress"/>, is our own coming back: quarantined as a loop, never answered.</summary>
    public List<string> OwnAddresses { get; set; } = [];

    /// <summary>At most this many automatic replies to one address within <see cref="AutoReplyWindow"/>; further
    /// requests are still stored, only not answered automatically, so a misbehaving auto-responder cannot loop.</summary>
    public int AutoReplyLimit { get; set; } = 5;

    public TimeSpan AutoReplyWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old the in-memory copy of the edited templates may get before a node reads them again; a save
    /// refreshes the node it was made on at once, other nodes within this time.</summary>
    public TimeSpan TemplateRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most one forged-sender notice to a subscriber's registered address within this time.</summary>
    public TimeSpan ForgedSenderNoticeWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attachments larger than this are not extracted (their name, type and size are noted; the bytes stay
    /// in the raw message, which is kept whole). Whole messages over 64 MB are quarantined as Oversize.</summary>
    public long MaxAttachmentBytes { get; set; } = Intake.MailParser.DefaultMaxAttachmentBytes;

    /// <summary>The per-message budget of intake (<c>Mail:Limits:*</c>): over it, a message is quarantined as too complex.</summary>
    public IntakeLimits Limits { get; set; } = new();

    public bool IsOwnAddress(string address) =>
        address.Equals(SupportAddress, StringComparison.OrdinalIgnoreCase) || OwnAddresses.Any(a => a.Equals(address, StringComparison.OrdinalIgnoreCase));
}
