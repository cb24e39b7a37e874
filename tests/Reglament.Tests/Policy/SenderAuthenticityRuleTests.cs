using Microsoft.Extensions.Options;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

public sealed class SenderAuthenticityRuleTests
{
    private static SenderAuthenticityRule Rule(string? servId = "mx.support.test", bool require = false, int trustedHeaders = 1) =>
        new(Options.Create(new AuthenticationOptions { AuthServId = servId, RequireResults = require, TrustedHeaders = trustedHeaders }));

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
    public void WithoutAConfiguredServer_EveryMailIsNotAuthenticated()
    {
        var verdict = Rule(servId: null).Check(["mx.support.test; spf=pass; dkim=pass; dmarc=pass"]);

        Assert.True(verdict.Triggered);
        Assert.Contains("AuthServId", Assert.Single(verdict.Evidence).Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaults_AreClosed()
    {
        var defaults = new SenderAuthenticityRule(Options.Create(new AuthenticationOptions()));
        var configured = new SenderAuthenticityRule(Options.Create(new AuthenticationOptions { AuthServId = "mx.support.test" }));

        Assert.True(defaults.Check(["mx.support.test; dmarc=pass"]).Triggered);
        // Results are required by default: mail that did not cross the border server carries none of its headers.
        Assert.True(configured.Check([]).Triggered);
        Assert.True(configured.Check(["mx.other.test; spf=pass; dkim=pass; dmarc=pass"]).Triggered);
        Assert.False(configured.Check(["mx.support.test; spf=pass; dkim=pass; dmarc=pass"]).Triggered);
    }

    [Fact]
    public void SwitchedOffExplicitly_EverythingPasses_WithTheSettingAsEvidence()
    {
        var verdict = new SenderAuthenticityRule(Options.Create(new AuthenticationOptions { Disabled = true })).Check([]);

        Assert.False(verdict.Triggered);
        Assert.Contains("Disabled", Assert.Single(verdict.Evidence).Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void AForgedLowerHeader_WithOurAuthServId_DoesNotCount()
    {
        // Our server (on top) saw SPF fail and no signature; the sender wrote a second header with our id below it,
        // claiming a DKIM pass. Merged per method, spf=fail + dkim=pass would pass.
        string[] headers = ["mx.support.test; spf=fail smtp.mailfrom=alfa.test", "mx.support.test; dkim=pass header.d=alfa.test; dmarc=pass"];

        Assert.True(Rule().Check(headers).Triggered);
        Assert.True(Rule().Check(["mx.other.test; spf=pass", .. headers]).Triggered);
    }

    [Fact]
    public void ABorderServerThatWritesSeveralHeaders_IsReadWholeWithTrustedHeaders()
    {
        string[] headers = ["mx.support.test; spf=fail smtp.mailfrom=alfa.test", "mx.support.test; dkim=pass header.d=alfa.test", "mx.support.test; dmarc=pass"];

        Assert.False(Rule(trustedHeaders: 3).Check(headers).Triggered);
        Assert.False(Rule(trustedHeaders: 2).Check(headers[..2]).Triggered);
    }

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
