using Microsoft.AspNetCore.DataProtection;
using NodaTime;
using Reglament.Staff;

namespace Reglament.Web;

/// <summary>The device cookie: after a successful sign-in the browser keeps a protected note of the account, so a later
/// sign-in from it is told apart from a stranger's and is not stopped by the lock strangers' failures put on the
/// account (<see cref="StaffAccounts.SignInAsync"/>). It proves only that this browser once knew the password; it
/// signs nobody in.</summary>
public sealed class DeviceCookie(IDataProtectionProvider protection, IClock clock)
{
    public const string Name = "reglament.device";

    /// <summary>How long a browser stays known without signing in again.</summary>
    private static readonly Duration Lifetime = Duration.FromDays(180);

    private readonly IDataProtector protector = protection.CreateProtector("Reglament.Web.DeviceCookie.v1");

    /// <summary>Whether the request comes from a browser that signed in to <paramref name="login"/> before.</summary>
    public bool IsKnown(HttpContext http, string login)
    {
        if (http.Request.Cookies[Name] is not { Length: > 0 } value)
            return false;
        try
        {
            var parts = protector.Unprotect(value).Split('\n');
            return parts.Length == 2
                && parts[0] == StaffAccounts.Normalize(login)
                && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var issued)
                && clock.GetCurrentInstant() - Instant.FromUnixTimeSeconds(issued) < Lifetime;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Forged, damaged or from a key ring that is gone: a stranger's browser.
            return false;
        }
    }

    /// <summary>Marks the browser as known to <paramref name="user"/>'s account.</summary>
    public void Issue(HttpContext http, StaffUser user)
    {
        var value = protector.Protect($"{user.Login}\n{clock.GetCurrentInstant().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        http.Response.Cookies.Append(Name, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            IsEssential = true,
            Path = StaffSignIn.SignInPath,
            MaxAge = Lifetime.ToTimeSpan(),
        });
    }
}
