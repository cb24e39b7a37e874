using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Portal;

/// <summary>Issues and redeems the portal's one-time sign-in links. The token (32 random bytes, base64url) exists only
/// in the mail; the database keeps its SHA-256. A link is redeemed by a POST, once, before it expires.</summary>
public sealed class PortalLinks(ReglamentDb db, ReplyTemplates templates, IOptions<PortalOptions> options, IOptions<MailOptions> mail, IClock clock)
{
    public const int TokenBytes = 32;

    public const string SignedInAction = "portal.signed-in";

    /// <summary>A link for one subscriber the address is a contact of; shown on the page only in the demo.</summary>
    public sealed record IssuedLink(string Subscriber, string Url);

    /// <summary>One link per subscriber the address is a contact of, and one mail with them, saved together (the
    /// outbox row and the link rows commit or fail as one). An unknown address, or one that already got
    /// <see cref="PortalOptions.LinksPerHour"/> links this hour, gets nothing: the caller answers the same either way.</summary>
    public async Task<IReadOnlyList<IssuedLink>> RequestAsync(string? email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320)
            return [];
        var address = AuthorizedContact.Normalize(email);
        var contacts = await db.AuthorizedContacts.Include(c => c.Subscriber).Where(c => c.Email == address)
            .OrderBy(c => c.SubscriberId).ToListAsync(cancellationToken);
        if (contacts.Count == 0)
            return [];
        var now = clock.GetCurrentInstant();
        var since = now - Duration.FromHours(1);
        var recent = await db.Outbox.CountAsync(o => o.To == address && o.Kind == OutgoingKind.PortalSignInLink && o.CreatedAt >= since, cancellationToken);
        if (recent >= options.Value.LinksPerHour)
            return [];

        var settings = options.Value;
        var links = new List<IssuedLink>();
        foreach (var contact in contacts)
        {
            var token = RandomNumberGenerator.GetBytes(TokenBytes);
            db.PortalSignInLinks.Add(new PortalSignInLink
            {
                TokenHash = Hash(token),
                ContactId = contact.Id,
                CreatedAt = now,
                ExpiresAt = now + Duration.FromTimeSpan(settings.LinkLifetime),
            });
            links.Add(new IssuedLink($"{contact.Subscriber.Name} ({contact.Subscriber.Login})", Url(Base64Url.EncodeToString(token))));
        }
        var list = links.Count == 1 ? links[0].Url : string.Join("\n", links.Select(l => $"— {l.Subscriber}: {l.Url}"));
        var minutes = ((int)Math.Round(settings.LinkLifetime.TotalMinutes)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rendered = await templates.RenderAsync(TemplateKinds.PortalLink, null,
            _ => new Dictionary<string, string> { ["links"] = list, ["minutes"] = minutes }, cancellationToken);
        db.Outbox.Add(OutboxMessage.Notice(OutgoingKind.PortalSignInLink, address, rendered, null, mail.Value.MessageIdDomain, now));
        await db.SaveChangesAsync(cancellationToken);
        return links;
    }

    /// <summary>Whether the link would sign in now; looking does not use it up (mail scanners fetch links).</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (HashOf(token) is not { } hash)
            return false;
        var link = await db.PortalSignInLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        return link is not null && link.IsUsable(clock.GetCurrentInstant());
    }

    /// <summary>Uses the link up and returns its contact, or null for a link that is unknown, used, expired, or whose
    /// contact is gone. Of two simultaneous redemptions exactly one wins (a conditional update).</summary>
    public async Task<AuthorizedContact?> RedeemAsync(string? token, CancellationToken cancellationToken)
    {
        if (HashOf(token) is not { } hash)
            return null;
        var now = clock.GetCurrentInstant();
        var link = await db.PortalSignInLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        if (link is null || !link.IsUsable(now))
            return null;
        var won = await db.PortalSignInLinks.Where(l => l.Id == link.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken);
        if (won == 0)
            return null;
        var contact = await db.AuthorizedContacts.Include(c => c.Subscriber).FirstOrDefaultAsync(c => c.Id == link.ContactId, cancellationToken);
        if (contact is null)
            return null;
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = contact.Email, Action = SignedInAction, Details = $"customer portal, subscriber {contact.Subscriber.Login}, link #{link.Id}" });
        await db.SaveChangesAsync(cancellationToken);
        return contact;
    }

    public string Url(string token) => $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/portal/link/{token}";

    /// <summary>The stored form of a token as it appears in a link; null for anything that is not one.</summary>
    public static string? HashOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !Base64Url.IsValid(token, out var length) || length != TokenBytes)
            return null;
        var bytes = new byte[TokenBytes];
        return Base64Url.DecodeFromChars(token, bytes) == TokenBytes ? Hash(bytes) : null;
    }

    private static string Hash(byte[] token) => Convert.ToHexStringLower(SHA256.HashData(token));
}
