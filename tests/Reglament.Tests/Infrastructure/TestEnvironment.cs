using System.Runtime.CompilerServices;

namespace Reglament.Tests.Infrastructure;

/// <summary>Settings every test process starts with. The sender check is closed by default (a production desk
/// without a trusted authserv-id refuses every mail and does not serve); the test mail carries no
/// Authentication-Results, so the suite switches the check off explicitly here — for the commands and servers it
/// starts as processes (they inherit the environment) and for in-process web hosts. Tests of the check itself set
/// <c>Policy:Authentication:*</c> on their own desk, which <see cref="TestDesk"/> then leaves alone.</summary>
internal static class TestEnvironment
{
    public const string AuthenticationDisabled = "REGLAMENT_Policy__Authentication__Disabled";

    [ModuleInitializer]
    internal static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(AuthenticationDisabled) is null)
            Environment.SetEnvironmentVariable(AuthenticationDisabled, "true");
    }
}
