using Microsoft.Extensions.Options;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

public sealed class SenderAuthenticityRuleTests
{
    private static SenderAuthenticityRule Rule(string? servId = "mx.support.test", bool require = false) =>
        new(Options.Create(new AuthenticationOptions { AuthServId = servId, RequireResults = require }));

    [Theory]
    [InlineData("mx.support.test; spf=pass smtp.mailfrom=a.test; dkim=pass header.d=a.test; dmarc=pass", false)]
    [InlineData("mx.support.test; spf=fail smtp.mailfrom=a.test; dkim=pass header.d=a.test; dmarc=pass", false)]
    [InlineData("mx.support.test; spf=pass; dkim=fail (bad signature); dmarc=pass", false)]
    [InlineData("mx.support.test; spf=softfail; dkim=none; dmarc=none", true)]
    [InlineData("mx.support.test; spf=fail; dkim=fail; dmarc=none", true)]
    [InlineData("mx.support.test; spf=pass; dkim=pass; dmarc=fail (p=reject) header.from=a.test", true)]
    [InlineData("MX.SUPPORT.TEST 1; spf=fail; dkim/1=fail", true)]
    [InlineData("mx.support.test;\r\n\tspf=fail smtp.mailfrom=a.test;\r\n\tdmarc=fail", true)]
    public void Results_FromOurServer_Decide(string header, bool forged) => Assert.Equal(forged, Rule().Check([header]).Triggered);

    [Fact]
    public void Results_FromAnyoneElse_AreIgnored()
    {
        Assert.False(Rule().Check(["mx.other.test; spf=fail; dkim=fail; dmarc=fail"]).Triggered);
        Assert.True(Rule(require: true).Check(["mx.other.test; spf=pass; dkim=pass; dmarc=pass"]).Triggered);
    }

    [Fact]
    public void WithoutAConfiguredServer_NothingIsTrusted() => Assert.False(Rule(servId: null).Check(["mx.support.test; dmarc=fail"]).Triggered);

    [Fact]
    public void MailParser_CarriesTheHeaders_ToTheRule()
    {
        var raw = System.Text.Encoding.UTF8.GetBytes("Authentication-Results: mx.support.test;\r\n\tspf=fail smtp.mailfrom=alfa.test;\r\n\tdmarc=fail header.from=alfa.test\r\n" +
            "Authentication-Results: evil.test; dmarc=pass\r\nFrom: it@alfa.test\r\nSubject: x\r\n\r\nbody\r\n");

        Assert.True(Reglament.Intake.MailParser.TryParse(raw, Tests.Infrastructure.TestDesk.Tuesday10Msk, out var request, out _));
        Assert.Equal(2, request!.AuthenticationResults.Count);
        Assert.True(Rule().Check(request.AuthenticationResults).Triggered);
    }

    [Fact]
    public void Garbage_IsSkipped() => Assert.False(Rule().Check(["", ";;;", "((("]).Triggered);
}
