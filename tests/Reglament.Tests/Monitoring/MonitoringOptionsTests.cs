using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;
using NodaTime.Testing;
using Reglament.Monitoring;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Monitoring;

public sealed class MonitoringOptionsTests
{
    [Theory]
    [InlineData(null, "Bearer anything")]
    [InlineData("", "Bearer anything")]
    [InlineData("secret", null)]
    [InlineData("secret", "secret")]
    [InlineData("secret", "Basic c2VjcmV0")]
    [InlineData("secret", "Bearer secre")]
    public void Token_IsRefused(string? configured, string? header) => Assert.False(MonitoringApi.Authorized(configured, header));

    [Fact]
    public void ConfiguredToken_IsAccepted() => Assert.True(MonitoringApi.Authorized("secret", "Bearer secret"));

    [Theory]
    [InlineData("critical", Criticality.Critical)]
    [InlineData("Disaster", Criticality.Critical)]
    [InlineData("warning", Criticality.Urgent)]
    [InlineData("info", Criticality.Low)]
    [InlineData("something-else", Criticality.Normal)]
    [InlineData(null, Criticality.Normal)]
    public void Severity_MapsToCriticality(string? severity, Criticality expected) => Assert.Equal(expected, new MonitoringOptions().CriticalityOf(severity));

    [Fact]
    public void InvalidOptions_AreReported()
    {
        var options = new MonitoringOptions { ReopenWindowMinutes = -1, Resources = [new ResourceOwners { Resource = "", Subscribers = [] }] };
        Assert.Equal(3, options.Validate().Count());
    }

    [Theory]
    [InlineData("vps-42", "vps-42", true)]
    [InlineData("VPS-42:9100", "vps-42", true)]
    [InlineData("vps-421", "vps-42", false)]
    public void Resource_Matching(string named, string resource, bool expected) => Assert.Equal(expected, IncidentDesk.Matches(named, resource));

    [Fact]
    public async Task InvalidConfiguration_StopsTheApplicationAtStart_NamingTheKey()
    {
        var directory = Directory.CreateTempSubdirectory("reglament-monitoring-options-").FullName;
        try
        {
            await using var app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = directory,
                ["Monitoring:ReopenWindowMinutes"] = "-5",
            }, new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains("Monitoring:ReopenWindowMinutes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
