namespace Reglament.Cli;

/// <summary>Exit codes from sysexits.h, so an MTA running <c>reglament ingest</c> knows whether to retry.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 64;
    /// <summary>The input data was bad (a message that cannot be parsed, a CSV with errors).</summary>
    public const int DataError = 65;
    public const int NoInput = 66;
    /// <summary>Temporary failure: storage unavailable. The MTA keeps the message and retries.</summary>
    public const int TemporaryFailure = 75;
}
