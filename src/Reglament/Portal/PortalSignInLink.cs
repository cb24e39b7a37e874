using NodaTime;
using Reglament.Subscribers;

namespace Reglament.Portal;

/// <summary>A one-time sign-in link sent to an authorized contact. Only the SHA-256 of the token is stored: someone
/// who reads the database (a backup, a replica) cannot sign in with what he finds there.</summary>
public sealed class PortalSignInLink
{
    public long Id { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the token's 32 random bytes.</summary>
    public required string TokenHash { get; init; }

    public long ContactId { get; init; }

    public AuthorizedContact Contact { get; init; } = null!;

    public Instant CreatedAt { get; init; }

    public Instant ExpiresAt { get; init; }

    /// <summary>Set once, by the POST that signs in; a link is never good twice.</summary>
    public Instant? UsedAt { get; set; }

    public bool IsUsable(Instant now) => UsedAt is null && now < ExpiresAt;
}
