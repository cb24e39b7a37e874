using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Portal;
using Reglament.Subscribers;

namespace Reglament.Web;

/// <summary>The customer portal's sign-in: its own cookie scheme, separate from staff, so that neither kind of
/// cookie opens the other's pages; the policy on the /Portal folder; the rate limit on its two forms.</summary>
public static class PortalSignIn
{
    public const string Scheme = "Portal";

    public const string Policy = "Portal";

    public const string RateLimit = "portal-sign-in";

    /// <summary>New requests and replies per subscriber (<see cref="Portal.PortalOptions.RequestsPerHour"/>).</summary>
    public const string RequestRateLimit = "portal-requests";

    public const string SignInPath = "/portal/signin";

    public const string CookieName = "reglament.portal";

    public const string ContactClaim = "reglament:contact";

    public const string SubscriberClaim = "reglament:subscriber";

    public const string SubscriberNameClaim = "reglament:subscriber_name";

    public static void AddPortalSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.Section));
        services.AddScoped<PortalLinks>();
        var portal = configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.LoginPath = SignInPath;
            o.LogoutPath = "/portal/signout";
            o.AccessDeniedPath = SignInPath;
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = portal.SessionLifetime;
            o.SlidingExpiration = true;
            // A contact removed from the subscriber (or moved to another) loses the portal at its next request.
            o.Events.OnValidatePrincipal = async context =>
            {
                var (contact, subscriber, email) = (ContactId(context.Principal!), SubscriberId(context.Principal!), context.Principal!.FindFirstValue(ClaimTypes.Email));
                var db = context.HttpContext.RequestServices.GetRequiredService<ReglamentDb>();
                var valid = contact is { } c && subscriber is { } s && await db.AuthorizedContacts.AnyAsync(
                    a => a.Id == c && a.SubscriberId == s && a.Email == email, context.HttpContext.RequestAborted);
                if (!valid)
                    context.RejectPrincipal();
            };
        });
        // Per client address, and only the POSTs: asking for links and redeeming them; the pages cost nothing.
        services.AddSharedRateLimit(new SharedRateLimitPolicy(RateLimit, portal.AttemptsPerMinute, NodaTime.Duration.FromMinutes(1),
            http => HttpMethods.IsPost(http.Request.Method) ? http.Connection.RemoteIpAddress?.ToString() ?? "unknown" : null));
        // Per subscriber, not per address: several contacts of one subscriber share its allowance.
        services.AddSharedRateLimit(new SharedRateLimitPolicy(RequestRateLimit, portal.RequestsPerHour, NodaTime.Duration.FromHours(1),
            http => HttpMethods.IsPost(http.Request.Method)
                ? http.User.FindFirstValue(SubscriberClaim) ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown"
                : null));
    }

    /// <summary>Only the portal cookie satisfies it, so a staff sign-in never opens the portal as a subscriber.</summary>
    public static AuthorizationBuilder AddPortalPolicy(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(ContactClaim).RequireClaim(SubscriberClaim));

    public static ClaimsPrincipal Principal(AuthorizedContact contact) => new(new ClaimsIdentity(
    [
        new Claim(ContactClaim, contact.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(SubscriberClaim, contact.SubscriberId.ToString(CultureInfo.InvariantCulture)),
        new Claim(SubscriberNameClaim, contact.Subscriber.Name),
        new Claim(ClaimTypes.Email, contact.Email),
        new Claim(ClaimTypes.Name, contact.Email),
    ], Scheme));

    /// <summary>A signed-in contact on a public page (the knowledge base): it gets the portal's header, not the staff's.</summary>
    public static async Task<bool> IsPortalVisitorAsync(HttpContext http) =>
        !DeskAccess.IsStaff(http.User) && http.Request.Cookies.ContainsKey(CookieName)
        && (await http.AuthenticateAsync(Scheme)).Succeeded;

    /// <summary>The subscriber a portal principal acts for; null for anyone else (staff, anonymous).</summary>
    public static long? SubscriberId(ClaimsPrincipal user) => PortalClaim(user, SubscriberClaim);

    public static long? ContactId(ClaimsPrincipal user) => PortalClaim(user, ContactClaim);

    public static string Email(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email) ?? throw new InvalidOperationException("Not signed in to the portal.");

    public static string SubscriberName(ClaimsPrincipal user) => user.FindFirstValue(SubscriberNameClaim) ?? "";

    private static long? PortalClaim(ClaimsPrincipal user, string type) =>
        user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == Scheme)?.FindFirst(type)?.Value is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
