using System.Globalization;
using System.Text.Json;

namespace Reglament.Monitoring;

/// <summary>One alert of a notification, whatever the monitoring system: the same shape for Alertmanager and Zabbix.</summary>
public sealed record Alert(string Source, string Fingerprint, bool Firing, string Name, string? Severity, string Summary, IReadOnlyList<string> Resources);

/// <summary>Reads webhook payloads into <see cref="Alert"/>s. A payload that lacks what an incident needs is rejected as a
/// whole with the reasons (nothing is stored); fields we do not read are not dropped, because the raw JSON is kept.</summary>
public static class AlertPayloads
{
    public const string Alertmanager = "alertmanager";
    public const string Zabbix = "zabbix";

    /// <summary>The labels that name affected resources; documented in the README, so not configurable.</summary>
    private static readonly string[] ResourceLabels = ["host", "instance", "service", "cluster"];

    /// <summary>Alertmanager webhook payload version 4: <c>{version, status, alerts: [{status, labels, annotations,
    /// startsAt, endsAt, fingerprint, …}], groupLabels, commonLabels, …}</c>.</summary>
    public static (IReadOnlyList<Alert> Alerts, Dictionary<string, string[]> Errors) ReadAlertmanager(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>();
        var alerts = new List<Alert>();
        if (root.ValueKind != JsonValueKind.Object)
            return (alerts, new() { ["$"] = ["The payload must be a JSON object."] });
        if (Text(root, "version") is { } version && version != "4")
            errors["version"] = [$"Webhook payload version '{version}' is not supported; version 4 is."];
        if (!root.TryGetProperty("alerts", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            errors["alerts"] = ["alerts must be a non-empty array."];
            return (alerts, errors);
        }
        var i = 0;
        foreach (var alert in list.EnumerateArray())
        {
            var key = $"alerts[{i++}]";
            if (alert.ValueKind != JsonValueKind.Object)
            {
                errors[key] = ["An alert must be an object."];
                continue;
            }
            var problems = new List<string>();
            var status = Text(alert, "status");
            if (status is not ("firing" or "resolved"))
                problems.Add("status must be 'firing' or 'resolved'.");
            var fingerprint = Text(alert, "fingerprint");
            if (string.IsNullOrWhiteSpace(fingerprint))
                problems.Add("fingerprint is required.");
            if (!alert.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
                problems.Add("labels must be an object.");
            if (problems.Count > 0)
            {
                errors[key] = [.. problems];
                continue;
            }
            var name = Text(labels, "alertname") ?? "alert";
            alert.TryGetProperty("annotations", out var annotations);
            var summary = (annotations.ValueKind == JsonValueKind.Object ? Text(annotations, "summary") ?? Text(annotations, "description") : null) ?? "";
            var labelText = string.Join(", ", labels.EnumerateObject().Select(l => $"{l.Name}={l.Value}"));
            alerts.Add(new Alert(Alertmanager, fingerprint!, status == "firing", name, Text(labels, "severity"),
                string.IsNullOrEmpty(summary) ? labelText : $"{summary}\n{labelText}", Resources(ResourceLabels.Select(l => Text(labels, l)))));
        }
        return (alerts, errors);
    }

    /// <summary>The Zabbix media type payload Reglament documents: <c>{eventid, status: PROBLEM|RESOLVED, severity,
    /// host, trigger, message, tags: [{tag, value}]}</c>. The fingerprint is the problem's event id ({EVENT.ID} is the
    /// same in the problem and its recovery), else host and trigger.</summary>
    public static (IReadOnlyList<Alert> Alerts, Dictionary<string, string[]> Errors) ReadZabbix(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>();
        if (root.ValueKind != JsonValueKind.Object)
            return ([], new() { ["$"] = ["The payload must be a JSON object."] });
        var status = Text(root, "status")?.ToUpperInvariant();
        if (status is not ("PROBLEM" or "RESOLVED"))
            errors["status"] = ["status must be 'PROBLEM' or 'RESOLVED'."];
        var host = Text(root, "host");
        var trigger = Text(root, "trigger");
        var eventId = Text(root, "eventid");
        if (string.IsNullOrWhiteSpace(host))
            errors["host"] = ["host is required."];
        if (string.IsNullOrWhiteSpace(trigger))
            errors["trigger"] = ["trigger is required."];
        if (errors.Count > 0)
            return ([], errors);
        var fingerprint = string.IsNullOrWhiteSpace(eventId) ? $"{host}/{trigger}" : eventId;
        var tags = root.TryGetProperty("tags", out var t) ? Tags(t) : [];
        var resources = Resources([host, .. tags.Where(x => x.Tag is not null && ResourceLabels.Contains(x.Tag, StringComparer.OrdinalIgnoreCase)).Select(x => x.Value)]);
        var summary = Text(root, "message") ?? "";
        return ([new Alert(Zabbix, fingerprint!, status == "PROBLEM", trigger!, Text(root, "severity"), $"{host}: {summary}".TrimEnd(' ', ':'), resources)], errors);
    }

    /// <summary>Tags as an array of {tag, value}; also as the text of such an array, because a media type that passes
    /// {EVENT.TAGSJSON} through without parsing it sends a string. Anything else carries no resources.</summary>
    private static List<(string? Tag, string? Value)> Tags(JsonElement tags)
    {
        if (tags.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var parsed = JsonDocument.Parse(tags.GetString() ?? "");
                return Tags(parsed.RootElement);
            }
            catch (JsonException)
            {
                return [];
            }
        }
        return tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(x => (Text(x, "tag"), Text(x, "value")))]
            : [];
    }

    private static string[] Resources(IEnumerable<string?> values) =>
        [.. values.OfType<string>().Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>A property as text: strings as they are, numbers as written (Zabbix event ids may be either).</summary>
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetBoolean().ToString(CultureInfo.InvariantCulture),
            _ => null,
        } : null;
}
