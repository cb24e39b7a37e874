using Reglament.Tickets;

namespace Reglament.Monitoring;

/// <summary>Configuration section <c>Monitoring</c>: webhook secrets, severity mapping, flapping window and which
/// monitored resources belong to which subscribers.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Bearer token Alertmanager presents. Empty: the Alertmanager endpoint refuses everyone.</summary>
    public string? AlertmanagerToken { get; set; }

    /// <summary>Bearer token the Zabbix media type presents. Empty: the Zabbix endpoint refuses everyone.</summary>
    public string? ZabbixToken { get; set; }

    /// <summary>Alert severity (Alertmanager label <c>severity</c>, Zabbix severity name), case-insensitive, to
    /// criticality. Configuration adds to or overrides these defaults.</summary>
    public Dictionary<string, Criticality> Severities { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["critical"] = Criticality.Critical,
        ["disaster"] = Criticality.Critical,
        ["high"] = Criticality.Critical,
        ["warning"] = Criticality.Urgent,
        ["average"] = Criticality.Urgent,
        ["info"] = Criticality.Low,
        ["information"] = Criticality.Low,
        ["not classified"] = Criticality.Low,
    };

    /// <summary>The criticality of an alert whose severity is missing or not in <see cref="Severities"/>.</summary>
    public Criticality DefaultCriticality { get; set; } = Criticality.Normal;

    /// <summary>A resolved notification moves the incident to Resolved; otherwise it only records the resolution.</summary>
    public bool ResolveTickets { get; set; } = true;

    /// <summary>An alert that fires again within this many minutes after it was resolved reopens the same incident
    /// (flapping) instead of opening a new one.</summary>
    public int ReopenWindowMinutes { get; set; } = 60;

    /// <summary>Which monitored resources (label values of host, instance, service, cluster; a Zabbix host) belong to
    /// which subscribers, by login or client ID.</summary>
    public List<ResourceOwners> Resources { get; set; } = [];

    public Criticality CriticalityOf(string? severity) =>
        severity is not null && Severities.FirstOrDefault(s => string.Equals(s.Key, severity.Trim(), StringComparison.OrdinalIgnoreCase)) is { Key: not null } hit
            ? hit.Value
            : DefaultCriticality;

    public IEnumerable<string> Validate()
    {
        if (ReopenWindowMinutes < 0)
            yield return "Monitoring:ReopenWindowMinutes must not be negative.";
        foreach (var (entry, i) in Resources.Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(entry.Resource))
                yield return $"Monitoring:Resources:{i}:Resource is required.";
            if (entry.Subscribers.Count == 0 || entry.Subscribers.Any(string.IsNullOrWhiteSpace))
                yield return $"Monitoring:Resources:{i}:Subscribers must name at least one login or client ID.";
        }
    }
}

/// <summary>One monitored resource (a host name, an <c>instance</c> with or without its port, a service or cluster
/// name) and the subscribers (logins or client IDs) it serves.</summary>
public sealed class ResourceOwners
{
    public string Resource { get; set; } = "";

    public List<string> Subscribers { get; set; } = [];
}
