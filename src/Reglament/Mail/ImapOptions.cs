using MailKit.Security;

namespace Reglament.Mail;

/// <summary>Incoming mail (<c>Mail:Imap</c>): the mailboxes Reglament reads. Passwords come from configuration
/// (environment variables, user secrets), never from the repository.</summary>
public sealed class ImapOptions
{
    public const string Section = "Mail:Imap";

    public List<ImapMailboxOptions> Mailboxes { get; set; } = [];

    /// <summary>How often a server without IDLE is polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>IDLE is re-issued this often: servers drop an IDLE after 30 minutes (RFC 2177), NATs sooner.</summary>
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>First wait before reconnecting after a failure; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class ImapMailboxOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 993;

    /// <summary><c>SslOnConnect</c> (993), <c>StartTls</c> (143), <c>None</c> only on loopback.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.SslOnConnect;

    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>A PEM file with the one certificate to accept besides the system's trust store (a self-signed
    /// internal server). Empty: the system's trust store only.</summary>
    public string TrustedCertificate { get; set; } = "";

    /// <summary>The folder new mail arrives in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where a message goes once its ticket change is committed (created when missing).</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Use IDLE when the server offers it; otherwise (or when false) poll.</summary>
    public bool UseIdle { get; set; } = true;

    /// <summary>The mailbox's name in storage and logs: the account and the folder, never the password.</summary>
    public string Key => $"{UserName}@{Host}/{Folder}";
}
