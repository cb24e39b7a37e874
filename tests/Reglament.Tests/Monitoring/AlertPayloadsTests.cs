using System.Text.Json;
using Reglament.Monitoring;

namespace Reglament.Tests.Monitoring;

public sealed class AlertPayloadsTests
{
    [Theory]
    [InlineData("""[{"tag": "service", "value": "mysql"}, {"tag": "scope", "value": "availability"}]""")]
    [InlineData("""  "[{\"tag\": \"service\", \"value\": \"mysql\"}, {\"tag\": \"scope\", \"value\": \"availability\"}]"  """)]
    public void ZabbixTags_AsArrayOrAsText_NameResources(string tags)
    {
        using var json = JsonDocument.Parse($$"""{"status": "PROBLEM", "host": "shared-07", "trigger": "MySQL is down", "tags": {{tags}} }""");

        var (alerts, errors) = AlertPayloads.ReadZabbix(json.RootElement);

        Assert.Empty(errors);
        Assert.Equal(["shared-07", "mysql"], alerts[0].Resources);
        Assert.Equal("shared-07/MySQL is down", alerts[0].Fingerprint);
    }

    [Fact]
    public void Alertmanager_ReadsEveryAlertOfAGroup_WithItsResources()
    {
        using var json = JsonDocument.Parse("""
            {"version": "4", "status": "firing", "alerts": [
              {"status": "firing", "fingerprint": "a", "labels": {"alertname": "X", "instance": "vps-1:9100", "cluster": "msk"}, "annotations": {"summary": "down"}},
              {"status": "resolved", "fingerprint": "b", "labels": {"alertname": "Y", "host": "vps-2", "severity": "info"}}
            ]}
            """);

        var (alerts, errors) = AlertPayloads.ReadAlertmanager(json.RootElement);

        Assert.Empty(errors);
        Assert.Equal([("a", true, "X"), ("b", false, "Y")], alerts.Select(a => (a.Fingerprint, a.Firing, a.Name)));
        Assert.Equal(["vps-1:9100", "msk"], alerts[0].Resources);
        Assert.Equal("info", alerts[1].Severity);
    }
}
