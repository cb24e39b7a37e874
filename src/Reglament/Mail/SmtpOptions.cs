using MailKit.Security;

namespace Reglament.Mail;

/// <summary>Outgoing mail (<c>Mail:Smtp</c>): where the outbox is delivered. Credentials come from configuration
/// (environment variables, user secrets), never from the repository.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Mail:Smtp";

    /// <summary>The submission server. Empty: nothing is sent, replies wait in the outbox.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>Auto</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Empty: no authentication (a relay that trusts this host).</summary>
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>A PEM file with the one certificate to accept besides the system's trust store (a self-signed
    /// internal server). Empty: the system's trust store only.</summary>
    public string TrustedCertificate { get; set; } = "";

    /// <summary>How often the outbox is looked at when there was nothing to send.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages claimed and sent over one SMTP connection.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>First retry delay; it doubles with each failed attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many failed attempts the message is given up (FailedAt) and left for an engineer.</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>How long a node's claim on a message holds; a node that dies mid-send loses it after this.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Network timeout of one SMTP command.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
