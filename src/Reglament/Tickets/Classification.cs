using NodaTime;

namespace Reglament.Tickets;

/// <summary>How a request reached support (R6; R2 for monitoring).</summary>
public enum Channel
{
    Email,
    /// <summary>An official letter of a legal entity on letterhead, registered by an engineer.</summary>
    OfficialLetter,
    WebPortal,
    Monitoring,
    /// <summary>The REST API (integrations); the sender must still be an authorized contact.</summary>
    Api,
}

/// <summary>The kinds of work the regulation names (R3) and what it excludes (R5).</summary>
public enum RequestType
{
    /// <summary>A change to configuration files the subscriber cannot make himself.</summary>
    ConfigChange,
    /// <summary>A problem with a contracted service.</summary>
    Incident,
    /// <summary>Restoring data from backup after the client's own negligence.</summary>
    BackupRestore,
    /// <summary>A question or recommendation about the services.</summary>
    Question,
    /// <summary>Programming, web design, scripts and programs, services outside the contract.</summary>
    OutOfScope,
}

/// <summary>Criticality sets the guaranteed response time (R12).</summary>
public enum Criticality
{
    /// <summary>The virtual environment does not work; data is lost. Response within 2 working hours.</summary>
    Critical,
    /// <summary>Works but badly impaired. 4 working hours.</summary>
    Urgent,
    /// <summary>Partial, non-critical loss of function. 8 working hours.</summary>
    Normal,
    /// <summary>Questions, recommendations, config changes, backup restores. 24 working hours.</summary>
    Low,
}

public static class CriticalityTargets
{
    /// <summary>The regulation's guaranteed response times in working time (R12); configuration may override.</summary>
    public static Duration DefaultTarget(this Criticality criticality) => criticality switch
    {
        Criticality.Critical => Duration.FromHours(2),
        Criticality.Urgent => Duration.FromHours(4),
        Criticality.Normal => Duration.FromHours(8),
        Criticality.Low => Duration.FromHours(24),
    };
}
