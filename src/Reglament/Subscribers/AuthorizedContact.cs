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

    /// <summary>A bare address (<c>user@host</c>), not a display name with one: what a contact or a registration
    /// e-mail must be, in the CSV import and on the administration pages alike.</summary>
    public static bool IsAddress(string value) =>
        MimeKit.MailboxAddress.TryParse(value, out var address) && address.Address.Contains('@', StringComparison.Ordinal) && address.Address == value.Trim();
}
