namespace Reglament.Cli;

/// <summary>Exit codes from sysexits.h, so an MTA running <c>reglament ingest</c> knows whether to retry.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 64;
    /// <summary>The input data was bad (a CSV with errors, a bad corpus). Never from <c>ingest</c>: a message the desk
    /// cannot read is quarantined — kept — and that is 0, since Postfix bounces on 65.</summary>
    public const int DataError = 65;
    public const int NoInput = 66;
    /// <summary>Temporary failure: storage unavailable, the schema behind (run <c>reglament migrate</c>), a migration lock
    /// held too long, or (for <c>ingest</c>) an unexpected failure. The MTA keeps the message and retries.</summary>
    public const int TemporaryFailure = 75;
}
