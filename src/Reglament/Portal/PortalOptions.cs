namespace Reglament.Portal;

/// <summary>The customer portal (<c>Portal:</c> in configuration).</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>How long a sign-in link stays good (it is good once).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many link mails to one address per hour; beyond, the form answers the same and sends nothing.</summary>
    public int LinksPerHour { get; set; } = 5;

    /// <summary>POSTs of the sign-in form and of the link page per client address per minute (429 beyond).</summary>
    public int AttemptsPerMinute { get; set; } = 10;

    /// <summary>New requests and replies one subscriber may file through the portal per hour (429 beyond): a signed-in
    /// contact cannot flood the queue, which every form post would otherwise fill with tickets.</summary>
    public int RequestsPerHour { get; set; } = 30;

    /// <summary>How long a portal sign-in lasts without activity (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Demo only: show the link on the "check your mail" page, because the demo sends no mail. It tells
    /// anyone which addresses are contacts, so it must stay off anywhere real.</summary>
    public bool ShowLinkOnPage { get; set; }
}
