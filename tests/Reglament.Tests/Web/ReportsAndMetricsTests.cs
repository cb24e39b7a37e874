using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Tests.Admin;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;
using Reglament.Web;

namespace Reglament.Tests.Web;

/// <summary><c>/reports</c> on the demo desk: supervisors only, plots as SVG in the page, downloads that open; and
/// <c>/metrics</c> in a form a Prometheus text-format parser accepts.</summary>
public sealed partial class ReportsAndMetricsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reports_AreForSupervisors_WithSvgPlots_AndDownloads()
    {
        await using var desk = await AdminDesk.StartAsync();
        using var engineer = await desk.SignInAsync("engineer");
        var refused = await engineer.GetAsync("/reports");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await engineer.GetAsync("/reports?handler=Xlsx")).StatusCode);

        using var supervisor = await desk.SignInAsync("supervisor");
        var page = await supervisor.GetStringAsync("/reports");
        // The demo's requests were received today (April 2024): the default period is this month.
        Assert.Contains("value=\"2024-04-01\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2024-05-01\"", page, StringComparison.Ordinal);
        Assert.Matches("<svg [^>]*id=\"report-shares\"[^>]*>.*<rect ", page);
        Assert.Matches("<svg [^>]*id=\"report-load\"[^>]*>.*<rect ", page);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
        Assert.Contains("Соблюдение сроков ответа", page, StringComparison.Ordinal);
        Assert.Contains("/reports\">", page, StringComparison.Ordinal);

        var tickets = await desk.WithDbAsync(db => db.Tickets.CountAsync(Token));
        var csv = await supervisor.GetAsync("/reports?handler=Csv&from=2024-04-01&to=2024-05-01");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("# by_criticality_month", await csv.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        var xlsx = await supervisor.GetAsync("/reports?handler=Xlsx&from=2024-04-01&to=2024-05-01");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var book = new XLWorkbook(await xlsx.Content.ReadAsStreamAsync(Token));
        var load = book.Worksheet("load_by_hour");
        Assert.Equal(tickets, Enumerable.Range(2, 24).Sum(r => load.Cell(r, 2).GetValue<int>()));

        var bad = await supervisor.GetAsync("/reports?from=2024-05-01&to=2024-04-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }

    [Fact]
    public async Task Metrics_ParseAsPrometheusText_AndAgreeWithTheDatabase()
    {
        await using var web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new() { ["Metrics:ApiKey"] = "scrape-key" });
        using var client = web.App.GetTestClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/metrics", Token)).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/metrics", Token)).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-key");
        var response = await client.GetAsync("/metrics", Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var samples = Parse(await response.Content.ReadAsStringAsync(Token));

        await using var scope = web.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Reglament.Data.ReglamentDb>();
        var all = await db.Tickets.CountAsync(Token);
        var open = await db.Tickets.CountAsync(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed && t.Status != TicketStatus.Refused, Token);
        Assert.True(all > 0);
        Assert.Equal(open, samples.Where(s => s.Key.StartsWith("reglament_open_tickets{", StringComparison.Ordinal)).Sum(s => s.Value));
        Assert.Equal(all, samples.Where(s => s.Key.StartsWith("reglament_tickets_received_total{", StringComparison.Ordinal)).Sum(s => s.Value));
        // Every combination is a series, zeros included, so a dashboard's series never disappear.
        Assert.Equal(Enum.GetValues<Criticality>().Length * Enum.GetValues<Reglament.Sla.SlaState>().Length,
            samples.Keys.Count(k => k.StartsWith("reglament_open_tickets{", StringComparison.Ordinal)));
        Assert.Equal(0, samples["reglament_calendar_years_missing"]);
        Assert.True(samples.ContainsKey("reglament_sla_breaches_total"));
        Assert.True(samples.ContainsKey("reglament_quarantine_items"));
    }

    /// <summary>promtool is not installed by scripts/deps.sh, so the example rules are checked here: valid YAML of
    /// groups of rules, and every reglament_* series they name is one /metrics exports.</summary>
    [Fact]
    public async Task AlertRules_NameOnlyExportedMetrics()
    {
        var path = Path.Combine(Scripts.RepositoryRoot, "deploy", "prometheus", "reglament-alerts.yml");
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(path, Token)));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        var rules = ((YamlDotNet.RepresentationModel.YamlSequenceNode)root["groups"]).Cast<YamlDotNet.RepresentationModel.YamlMappingNode>()
            .SelectMany(g => (YamlDotNet.RepresentationModel.YamlSequenceNode)g["rules"]).Cast<YamlDotNet.RepresentationModel.YamlMappingNode>().ToList();
        Assert.NotEmpty(rules);

        await using var web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk);
        using var client = web.App.GetTestClient();
        var exported = Parse(await client.GetStringAsync("/metrics", Token)).Keys.Select(k => k.Split('{')[0]).ToHashSet();
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrEmpty(rule["alert"].ToString()));
            foreach (Match name in MetricName().Matches(rule["expr"].ToString()))
                Assert.True(exported.Contains(name.Value), $"{rule["alert"]}: {name.Value} is not exported");
        }
    }

    [GeneratedRegex("reglament_[a-z_]+")]
    private static partial Regex MetricName();

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("192.0.2.10", false)]
    public void Metrics_WithoutAKey_AnswerLoopbackOnly(string address, bool allowed)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        Assert.Equal(allowed, MetricsEndpoint.Allowed(new MetricsOptions(), http));
        // With a key, the address does not matter and the key does.
        http.Request.Headers.Authorization = "Bearer k";
        Assert.True(MetricsEndpoint.Allowed(new MetricsOptions { ApiKey = "k" }, http));
        Assert.False(MetricsEndpoint.Allowed(new MetricsOptions { ApiKey = "other" }, http));
    }

    /// <summary>A strict reader of the Prometheus text exposition format 0.0.4: HELP and TYPE lines, samples with
    /// optional labels and a float value; every sample's family declared by a TYPE line before it, each family once.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var types = new Dictionary<string, string>();
        var samples = new Dictionary<string, double>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (Help().Match(line) is { Success: true })
                continue;
            if (Type().Match(line) is { Success: true } type)
            {
                Assert.True(types.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"family declared twice: {line}");
                continue;
            }
            var sample = Sample().Match(line);
            Assert.True(sample.Success, $"not a sample line: {line}");
            Assert.True(types.ContainsKey(sample.Groups["name"].Value), $"no TYPE before {line}");
            var value = double.Parse(sample.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(samples.TryAdd(sample.Groups["name"].Value + sample.Groups["labels"].Value, value), $"series twice: {line}");
        }
        return samples;
    }

    [GeneratedRegex("^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$")]
    private static partial Regex Help();

    [GeneratedRegex("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex Type();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*")*\})? (?<value>-?(?:[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|Inf)|\+Inf)$""")]
    private static partial Regex Sample();
}
