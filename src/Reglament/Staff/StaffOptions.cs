namespace Reglament.Staff;

/// <summary>Sign-in rules for staff (<c>Staff:</c> in configuration).</summary>
public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>Failed sign-ins in a row before the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in lasts without activity (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Sign-in attempts allowed per client address per minute (the rate limiter on the form's POST).</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;
}
