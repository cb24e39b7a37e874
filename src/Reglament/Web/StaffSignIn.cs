using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Reglament.Staff;

namespace Reglament.Web;

/// <summary>Staff sign-in: the cookie, the policies every desk page goes through, the rate limit on the form.</summary>
public static class StaffSignIn
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Any signed-in member of staff: the queue and every ticket.</summary>
    public const string DeskPolicy = "Desk";

    /// <summary>Administrators only: staff accounts.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>Supervisors and administrators: they keep the knowledge base and administer subscribers, the calendar and the quarantine.</summary>
    public const string EditorPolicy = "Editor";

    public const string SignInRateLimit = "sign-in";

    public const string SignInPath = "/account/signin";

    public static void AddStaffSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var staff = configuration.GetSection(StaffOptions.Section).Get<StaffOptions>() ?? new StaffOptions();
        services.AddSingleton<DeviceCookie>();
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.LoginPath = SignInPath;
            o.LogoutPath = "/account/signout";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "reglament.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure over HTTPS; plain http://127.0.0.1 (the demo, the tests) must still work.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = staff.SessionLifetime;
            o.SlidingExpiration = true;
        });
        // Per client address: a password guesser is slowed down without locking out the whole office.
        // Only the form's POST counts: showing the page again after a mistake costs nothing. Counted in the database,
        // so every node shares the limit (SharedRateLimits).
        services.AddSharedRateLimit(new SharedRateLimitPolicy(SignInRateLimit, staff.SignInAttemptsPerMinute, NodaTime.Duration.FromMinutes(1),
            http => HttpMethods.IsPost(http.Request.Method) ? http.Connection.RemoteIpAddress?.ToString() ?? "unknown" : null));
    }

    public static AuthorizationBuilder AddStaffPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(DeskPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Enum.GetNames<StaffRole>()))
        .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(nameof(StaffRole.Administrator)))
        .AddPolicy(EditorPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(nameof(StaffRole.Supervisor), nameof(StaffRole.Administrator)));

    public static ClaimsPrincipal Principal(StaffUser user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Login),
        new Claim("display_name", user.DisplayName),
        new Claim(ClaimTypes.Role, user.Role.ToString()),
    ], Scheme));

    /// <summary>The name the audit trail records for a member of staff.</summary>
    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? throw new InvalidOperationException("Not signed in.");

    public static string DisplayName(ClaimsPrincipal user) => user.FindFirstValue("display_name") ?? user.Identity?.Name ?? "";
}

/// <summary>Headers that make the browser refuse what the pages never need: inline scripts, foreign origins, sniffing.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            // The API reference (Scalar) loads its own scripts and styles; it keeps its defaults. A response that set
            // its own, stricter policy (a mail's HTML in its sandboxed frame, Web/Conversation) keeps it.
            if (!http.Request.Path.StartsWithSegments("/scalar") && !headers.ContainsKey("Content-Security-Policy"))
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (!headers.ContainsKey("X-Frame-Options"))
                headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        await next();
    });
}
