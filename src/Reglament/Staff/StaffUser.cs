using NodaTime;

namespace Reglament.Staff;

/// <summary>What a member of staff may do. Engineers work the queue; supervisors too; administrators also manage staff.</summary>
public enum StaffRole
{
    Engineer,
    Supervisor,
    Administrator,
}

/// <summary>A person of the operator's support who signs in to the agent console.</summary>
public sealed class StaffUser
{
    public int Id { get; set; }

    /// <summary>Sign-in name, stored lower-case so that «Engineer» and «engineer» are one account.</summary>
    public required string Login { get; set; }

    public required string DisplayName { get; set; }

    public StaffRole Role { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash (format v3); never the password.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Consecutive failed sign-ins since the last success or lockout.</summary>
    public int FailedAttempts { get; set; }

    public Instant? LockedUntil { get; set; }

    public Instant CreatedAt { get; set; }

    public bool Disabled { get; set; }
}
