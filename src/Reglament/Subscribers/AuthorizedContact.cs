namespace Reglament.Subscribers;

/// <summary>An e-mail address allowed to file requests for a subscriber (R6).</summary>
public sealed class AuthorizedContact
{
    public long Id { get; private set; }

    public long SubscriberId { get; set; }

    public Subscriber Subscriber { get; set; } = null!;

    /// <summary>Stored normalized (trimmed, lower case), so look-ups compare exactly.</summary>
    public required string Email { get; set; }

    public string? Name { get; set; }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
