using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;

namespace Reglament.Staff;

/// <summary>The outcome of a sign-in attempt. A wrong login and a wrong password look the same to the caller.</summary>
public enum StaffSignInResult
{
    Success,
    Failed,
    LockedOut,
}

/// <summary>Creating staff accounts and checking their passwords, with lockout after repeated failures.</summary>
public sealed class StaffAccounts(ReglamentDb db, IClock clock, IOptions<StaffOptions> options)
{
    // Identity's hasher alone: PBKDF2 with its current iteration count, without the whole Identity store.
    private static readonly PasswordHasher<StaffUser> Hasher = new();

    public static string Normalize(string login) => login.Trim().ToLowerInvariant();

    /// <summary>Creates the account, or resets the password, name and role of an existing one.</summary>
    public async Task<(StaffUser User, bool Created)> SetAsync(string login, string displayName, StaffRole role, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var normalized = Normalize(login);
        var user = await db.StaffUsers.FirstOrDefaultAsync(u => u.Login == normalized, cancellationToken);
        var created = user is null;
        if (user is null)
        {
            user = new StaffUser { Login = normalized, DisplayName = displayName, CreatedAt = clock.GetCurrentInstant() };
            db.StaffUsers.Add(user);
        }
        user.DisplayName = displayName;
        user.Role = role;
        user.PasswordHash = Hasher.HashPassword(user, password);
        user.FailedAttempts = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return (user, created);
    }

    /// <summary>Checks the password; counts failures and locks the account after <see cref="StaffOptions.MaxFailedAttempts"/>
    /// — for strangers only. A <paramref name="knownDevice"/> (a browser this account signed in from before, proven by the
    /// device cookie, Web/DeviceCookie) neither counts towards the lock nor is stopped by it, so anyone who types five wrong
    /// passwords locks out guessers, not the engineer at the usual desk (issue 18; OWASP's "device cookies"). Its own
    /// mistakes are slowed by the per-address rate limit.</summary>
    public async Task<(StaffSignInResult Result, StaffUser? User)> SignInAsync(string login, string password, bool knownDevice = false, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(login);
        var user = await db.StaffUsers.FirstOrDefaultAsync(u => u.Login == normalized, cancellationToken);
        if (user is null || user.Disabled)
        {
            // Spend the same work as a real check, so timing does not tell which logins exist.
            Hasher.VerifyHashedPassword(DummyUser, DummyHash, password);
            return (StaffSignInResult.Failed, null);
        }
        var now = clock.GetCurrentInstant();
        if (!knownDevice && user.LockedUntil is { } until && until > now)
            return (StaffSignInResult.LockedOut, null);
        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (knownDevice)
                return (StaffSignInResult.Failed, null);
            user.FailedAttempts++;
            if (user.FailedAttempts >= options.Value.MaxFailedAttempts)
            {
                user.LockedUntil = now + Duration.FromTimeSpan(options.Value.LockoutDuration);
                user.FailedAttempts = 0;
            }
            await db.SaveChangesAsync(cancellationToken);
            return (user.LockedUntil > now ? StaffSignInResult.LockedOut : StaffSignInResult.Failed, null);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = Hasher.HashPassword(user, password);
        // A known device's success leaves a stranger's count and lock as they are: it proves nothing about the stranger.
        if (!knownDevice)
        {
            user.FailedAttempts = 0;
            user.LockedUntil = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        return (StaffSignInResult.Success, user);
    }

    private static readonly StaffUser DummyUser = new() { Login = "", DisplayName = "" };

    private static readonly string DummyHash = Hasher.HashPassword(DummyUser, "not a password of anyone");
}
