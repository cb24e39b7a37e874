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
}
