using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Monitoring;

/// <summary>Alertmanager and Zabbix notifications replayed against the running application (TestServer, demo data).</summary>
public sealed class MonitoringWebhookTests : IAsyncLifetime
{
    private const string ApiKey = "test-key";
    private const string AlertmanagerToken = "am-secret";
    private const string ZabbixToken = "zbx-secret";
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-monitoring-").FullName;
    private readonly FakeClock clock = new(TestDesk.Tuesday10Msk);
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Api:Keys:0"] = ApiKey,
            ["Knowledge:AutoAnswer"] = "false",
            ["Monitoring:AlertmanagerToken"] = AlertmanagerToken,
            ["Monitoring:ZabbixToken"] = ZabbixToken,
            ["Monitoring:ReopenWindowMinutes"] = "30",
            // vps-42 hosts Ivanov's VPS; the shared node serves Romashka and (by client ID) Petrova.
            ["Monitoring:Resources:0:Resource"] = "vps-42.example.ru",
            ["Monitoring:Resources:0:Subscribers:0"] = "u10002",
            ["Monitoring:Resources:1:Resource"] = "shared-07",
            ["Monitoring:Resources:1:Subscribers:0"] = "u10001",
            ["Monitoring:Resources:1:Subscribers:1"] = "104526",
        }, clock, b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, Token);
        await DemoSeeder.SeedAsync(app.Services, Token);
        await app.StartAsync(Token);
        client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A real Alertmanager (v0.27) webhook body, version 4, as the receiver <c>reglament</c> gets it.</summary>
    private static string Alertmanager(string status, params (string Status, string Fingerprint, string AlertName, string Instance, string Severity)[] alerts)
    {
        var items = alerts.Select(a => $$"""
            {
              "status": "{{a.Status}}",
              "labels": { "alertname": "{{a.AlertName}}", "instance": "{{a.Instance}}", "job": "node", "severity": "{{a.Severity}}", "dc": "msk-1" },
              "annotations": { "summary": "{{a.AlertName}} on {{a.Instance}}", "runbook_url": "https://wiki.example.ru/runbooks/{{a.AlertName}}" },
              "startsAt": "2024-04-23T06:58:30.123Z",
              "endsAt": "{{(a.Status == "resolved" ? "2024-04-23T07:30:30.123Z" : "0001-01-01T00:00:00Z")}}",
              "generatorURL": "http://prometheus.example.ru:9090/graph?g0.expr=up+%3D%3D+0\u0026g0.tab=1",
              "fingerprint": "{{a.Fingerprint}}"
            }
            """);
        return $$"""
            {
              "receiver": "reglament",
              "status": "{{status}}",
              "alerts": [{{string.Join(",", items)}}],
              "groupLabels": { "alertname": "{{alerts[0].AlertName}}" },
              "commonLabels": { "job": "node" },
              "commonAnnotations": {},
              "externalURL": "http://alertmanager.example.ru:9093",
              "version": "4",
              "groupKey": "{}:{alertname=\"{{alerts[0].AlertName}}\"}",
              "truncatedAlerts": 0
            }
            """;
    }

    private static string Zabbix(string status, string eventId = "8123456", string severity = "High") => $$"""
        {
          "eventid": "{{eventId}}",
          "status": "{{status}}",
          "severity": "{{severity}}",
          "host": "shared-07",
          "trigger": "MySQL is down",
          "message": "Problem started at 09:58:30 on 2024.04.23",
          "tags": [ { "tag": "service", "value": "mysql" }, { "tag": "cluster", "value": "shared-msk" } ],
          "zabbix_url": "https://zabbix.example.ru"
        }
        """;

    private async Task<HttpResponseMessage> PostAsync(string path, string json, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, Token);
    }

    private async Task<JsonElement[]> AlertsAsync(string path, string json, string token)
    {
        var response = await PostAsync(path, json, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("alerts").EnumerateArray()];
    }

    private Task<JsonElement> TicketAsync(string number) => client.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    private Task<int> TicketCountAsync() => WithDbAsync(db => db.Tickets.CountAsync(Token));

    [Fact]
    public async Task FiringAlert_OpensAnInternalIncident_WithCriticalityDeadlineAndAffectedSubscribers()
    {
        var alerts = await AlertsAsync("/monitoring/alertmanager", Alertmanager("firing", ("firing", "1a30ba71cca2921f", "NodeDown", "vps-42.example.ru:9100", "critical")), AlertmanagerToken);

        Assert.Equal("opened", alerts[0].GetProperty("action").GetString());
        var ticket = await TicketAsync(alerts[0].GetProperty("ticket").GetString()!);
        var summary = ticket.GetProperty("ticket");
        Assert.Equal("Monitoring", summary.GetProperty("channel").GetString());
        Assert.Equal("Incident", summary.GetProperty("type").GetString());
        Assert.Equal("Critical", summary.GetProperty("criticality").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("subscriber").ValueKind);
        // Critical: 2 working hours from 10:00 Moscow.
        Assert.Equal("2024-04-23T09:00:00Z", summary.GetProperty("responseDeadline").GetString());
        var affected = await WithDbAsync(db => db.IncidentSubscribers.Select(l => l.Subscriber.Login).ToListAsync(Token));
        Assert.Equal(["u10002"], affected);
    }

    [Fact]
    public async Task FiringAlert_AppearsInTheQueue_AndTheTicketPageShowsWhoIsAffected()
    {
        var alerts = await AlertsAsync("/monitoring/alertmanager", Alertmanager("firing", ("firing", "77aa00bb11cc22dd", "NodeDown", "vps-42.example.ru:9100", "critical")), AlertmanagerToken);
        var number = alerts[0].GetProperty("ticket").GetString()!;
        await Reglament.Cli.ServeCommand.SeedDemoStaffAsync(app.Services, Token);
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("engineer", "demo-engineer");

        Assert.Contains(number, await browser.GetStringAsync("/"), StringComparison.Ordinal);
        var page = await browser.GetStringAsync($"/desk/ticket/{number}");
        Assert.Contains("Затронутые абоненты", page, StringComparison.Ordinal);
        Assert.Contains("(u10002)", page, StringComparison.Ordinal);
        Assert.Contains("vps-42.example.ru", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedFiring_UpdatesTheSameIncident_AndKeepsTheRawNotification()
    {
        var payload = Alertmanager("firing", ("firing", "fp-repeat", "DiskFull", "vps-42.example.ru:9100", "warning"));
        var first = await AlertsAsync("/monitoring/alertmanager", payload, AlertmanagerToken);
        var before = await TicketCountAsync();
        clock.Advance(Duration.FromHours(4));
        var second = await AlertsAsync("/monitoring/alertmanager", payload, AlertmanagerToken);

        Assert.Equal("updated", second[0].GetProperty("action").GetString());
        Assert.Equal(first[0].GetProperty("ticket").GetString(), second[0].GetProperty("ticket").GetString());
        Assert.Equal(before, await TicketCountAsync());
        var ticket = await TicketAsync(second[0].GetProperty("ticket").GetString()!);
        Assert.Equal("Urgent", ticket.GetProperty("ticket").GetProperty("criticality").GetString());
        Assert.Equal(2, ticket.GetProperty("messages").GetArrayLength());
        Assert.Contains(ticket.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "alert.repeated");
        // Fields Reglament does not read (runbook_url, dc, truncatedAlerts) are kept in the raw source.
        var raw = await WithDbAsync(db => db.Messages.Where(m => m.Author == "alertmanager").Select(m => m.Source!.Content).FirstAsync(Token));
        Assert.Contains("runbook_url", Encoding.UTF8.GetString(raw!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolved_ClosesTheIncident_AndFlappingReopensIt_ButAfterTheWindowANewOneOpens()
    {
        var firing = Alertmanager("firing", ("firing", "fp-flap", "NodeDown", "vps-42.example.ru:9100", "critical"));
        var resolved = Alertmanager("resolved", ("resolved", "fp-flap", "NodeDown", "vps-42.example.ru:9100", "critical"));
        var number = (await AlertsAsync("/monitoring/alertmanager", firing, AlertmanagerToken))[0].GetProperty("ticket").GetString()!;

        clock.Advance(Duration.FromMinutes(5));
        Assert.Equal("resolved", (await AlertsAsync("/monitoring/alertmanager", resolved, AlertmanagerToken))[0].GetProperty("action").GetString());
        Assert.Equal("Resolved", (await TicketAsync(number)).GetProperty("ticket").GetProperty("status").GetString());

        clock.Advance(Duration.FromMinutes(10));
        var again = await AlertsAsync("/monitoring/alertmanager", firing, AlertmanagerToken);
        Assert.Equal("reopened", again[0].GetProperty("action").GetString());
        Assert.Equal(number, again[0].GetProperty("ticket").GetString());
        Assert.Equal("Open", (await TicketAsync(number)).GetProperty("ticket").GetProperty("status").GetString());

        await AlertsAsync("/monitoring/alertmanager", resolved, AlertmanagerToken);
        clock.Advance(Duration.FromMinutes(31));
        var later = await AlertsAsync("/monitoring/alertmanager", firing, AlertmanagerToken);
        Assert.Equal("opened", later[0].GetProperty("action").GetString());
        Assert.NotEqual(number, later[0].GetProperty("ticket").GetString());
    }

    [Fact]
    public async Task GroupedPayload_IsHandledAlertByAlert()
    {
        var alerts = await AlertsAsync("/monitoring/alertmanager", Alertmanager("firing",
            ("firing", "fp-group-1", "HighLoad", "vps-42.example.ru:9100", "warning"),
            ("firing", "fp-group-2", "HighLoad", "shared-07:9100", "info"),
            ("resolved", "fp-never-seen", "HighLoad", "shared-08:9100", "info")), AlertmanagerToken);

        Assert.Equal(["opened", "opened", "ignored"], alerts.Select(a => a.GetProperty("action").GetString()));
        Assert.NotEqual(alerts[0].GetProperty("ticket").GetString(), alerts[1].GetProperty("ticket").GetString());
        Assert.Equal("Low", (await TicketAsync(alerts[1].GetProperty("ticket").GetString()!)).GetProperty("ticket").GetProperty("criticality").GetString());
    }

    [Fact]
    public async Task Zabbix_ProblemOpens_RepeatUpdates_RecoveryResolves()
    {
        var opened = await AlertsAsync("/monitoring/zabbix", Zabbix("PROBLEM"), ZabbixToken);
        var number = opened[0].GetProperty("ticket").GetString()!;
        Assert.Equal("opened", opened[0].GetProperty("action").GetString());
        Assert.Equal("Critical", (await TicketAsync(number)).GetProperty("ticket").GetProperty("criticality").GetString());
        var affected = await WithDbAsync(db => db.IncidentSubscribers.OrderBy(l => l.Subscriber.Login).Select(l => l.Subscriber.Login).ToListAsync(Token));
        Assert.Equal(["u10001", "u10004"], affected);

        Assert.Equal("updated", (await AlertsAsync("/monitoring/zabbix", Zabbix("PROBLEM"), ZabbixToken))[0].GetProperty("action").GetString());
        var resolved = await AlertsAsync("/monitoring/zabbix", Zabbix("RESOLVED"), ZabbixToken);
        Assert.Equal(number, resolved[0].GetProperty("ticket").GetString());
        Assert.Equal("Resolved", (await TicketAsync(number)).GetProperty("ticket").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/monitoring/alertmanager", null)]
    [InlineData("/monitoring/alertmanager", "wrong")]
    [InlineData("/monitoring/alertmanager", ApiKey)]
    [InlineData("/monitoring/alertmanager", ZabbixToken)]
    [InlineData("/monitoring/zabbix", null)]
    [InlineData("/monitoring/zabbix", AlertmanagerToken)]
    public async Task MissingOrWrongToken_Is401_AndStoresNothing(string path, string? token)
    {
        var before = await TicketCountAsync();
        var json = path.EndsWith("zabbix", StringComparison.Ordinal) ? Zabbix("PROBLEM") : Alertmanager("firing", ("firing", "fp-auth", "NodeDown", "vps-42.example.ru", "critical"));

        var response = await PostAsync(path, json, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await TicketCountAsync());
    }

    [Theory]
    [InlineData("/monitoring/alertmanager", AlertmanagerToken, "{\"alerts\": [", null)]
    [InlineData("/monitoring/alertmanager", AlertmanagerToken, "{\"version\": \"4\", \"alerts\": []}", "alerts")]
    [InlineData("/monitoring/alertmanager", AlertmanagerToken, "{\"version\": \"3\", \"alerts\": [{\"status\": \"firing\", \"labels\": {}, \"fingerprint\": \"x\"}]}", "version")]
    [InlineData("/monitoring/alertmanager", AlertmanagerToken, "{\"version\": \"4\", \"alerts\": [{\"status\": \"firing\", \"labels\": {}}]}", "alerts[0]")]
    [InlineData("/monitoring/alertmanager", AlertmanagerToken, "[]", "$")]
    [InlineData("/monitoring/zabbix", ZabbixToken, "{\"status\": \"BROKEN\", \"host\": \"h\", \"trigger\": \"t\"}", "status")]
    [InlineData("/monitoring/zabbix", ZabbixToken, "{\"status\": \"PROBLEM\", \"trigger\": \"t\"}", "host")]
    public async Task MalformedPayload_Is400_AndStoresNothing(string path, string token, string json, string? field)
    {
        var before = await TicketCountAsync();

        var response = await PostAsync(path, json, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        if (field is not null)
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task NotifyAffected_WritesOneBilingualMessagePerAuthorizedContact_AndAudits()
    {
        var number = (await AlertsAsync("/monitoring/zabbix", Zabbix("PROBLEM"), ZabbixToken))[0].GetProperty("ticket").GetString()!;

        var response = await client.PostAsJsonAsync($"/api/tickets/{number}/notify-affected", new { text = "Ожидаемое время восстановления — 12:00 МСК." }, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outbox = await WithDbAsync(db => db.Outbox.Where(o => o.Kind == OutgoingKind.IncidentNotification).ToListAsync(Token));
        // Romashka has two contacts, Petrova two.
        Assert.Equal(["admin@romashka.example.ru", "helpdesk@petrova.example.net", "it@romashka.example.ru", "petrova@example.net"], outbox.Select(o => o.To).Order(StringComparer.Ordinal));
        var body = outbox[0].Body;
        Assert.True(body.IndexOf("Здравствуйте", StringComparison.Ordinal) < body.IndexOf("Hello", StringComparison.Ordinal));
        Assert.Contains("12:00 МСК", body, StringComparison.Ordinal);
        Assert.Contains(number, outbox[0].Subject, StringComparison.Ordinal);
        Assert.Contains((await TicketAsync(number)).GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "incident.notified");
    }

    [Fact]
    public async Task NotifyAffected_WithoutAffectedSubscribers_Is409()
    {
        var number = (await AlertsAsync("/monitoring/alertmanager", Alertmanager("firing", ("firing", "fp-nobody", "NodeDown", "unknown-host:9100", "critical")), AlertmanagerToken))[0].GetProperty("ticket").GetString()!;

        var response = await client.PostAsJsonAsync($"/api/tickets/{number}/notify-affected", new { text = "" }, Token);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task AffectedSubscribersEmail_IsLinkedToTheOpenIncident_AndStillHandled()
    {
        var incident = (await AlertsAsync("/monitoring/alertmanager", Alertmanager("firing", ("firing", "fp-vps", "NodeDown", "vps-42.example.ru:9100", "critical")), AlertmanagerToken))[0].GetProperty("ticket").GetString()!;

        IntakeResult result;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(
                Requests.Email("ivanov@example.org", "Не работает VPS", "Логин u10002. С утра VPS не отвечает, сайт недоступен, ошибка Connection timed out.", clock.GetCurrentInstant(), "outage-1@example.org"), Token);
        }

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        // Linked, not refused: the subscriber's request is still handled on its own merits.
        Assert.NotEqual(DecisionOutcome.Refused, result.Decision);
        Assert.Contains(result.Evidence!, e => e.Rule == "MonitoringIncident" && e.Finding.Contains(incident, StringComparison.Ordinal));
        var related = await WithDbAsync(db => db.Tickets.Where(t => t.Id == result.Ticket!.Value.Value).Select(t => t.RelatedIncidentId).SingleAsync(Token));
        Assert.True(TicketNumber.TryParse(incident, out var parsed));
        Assert.Equal(parsed.Value.Value, related);

        var affected = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{incident}/affected", Token);
        Assert.Equal("u10002", affected.GetProperty("subscribers")[0].GetProperty("login").GetString());
        Assert.Equal("vps-42.example.ru", affected.GetProperty("subscribers")[0].GetProperty("resource").GetString());
        Assert.Equal([result.Ticket!.Value.ToString()], affected.GetProperty("relatedRequests").EnumerateArray().Select(r => r.GetString()));

        // A subscriber the incident does not affect is not linked.
        IntakeResult other;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            other = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(
                Requests.Email("petrova@example.net", "Не работает почта", "Логин u10004. Письма не уходят, ошибка 550.", clock.GetCurrentInstant(), "other-1@example.net"), Token);
        }
        Assert.Null(await WithDbAsync(db => db.Tickets.Where(t => t.Id == other.Ticket!.Value.Value).Select(t => t.RelatedIncidentId).SingleAsync(Token)));
    }
}
