using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Web;

/// <summary><c>Metrics:*</c>: who may read <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>When set, a scrape must send <c>Authorization: Bearer KEY</c> (from any address); when empty, only
    /// callers on the loopback interface are answered (a Prometheus beside the desk, or a reverse proxy that adds
    /// its own protection).</summary>
    public string? ApiKey { get; set; }

    public bool Enabled { get; set; } = true;
}

/// <summary><c>GET /metrics</c> in the Prometheus text format (version 0.0.4), read from the database at each scrape:
/// every node answers the same, nothing is lost on a restart, and a scrape every 15–60 s costs a few grouped counts.
/// Written by hand rather than with a metrics library: these are gauges over stored state, not in-process counters,
/// which is the one thing such libraries would add.</summary>
public static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (HttpContext http, IOptions<MetricsOptions> options, ReglamentDb db, ResponseDeadlines deadlines, IClock clock, CancellationToken ct) =>
        {
            var o = options.Value;
            if (!o.Enabled)
                return Results.NotFound();
            if (!Allowed(o, http))
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            return Results.Text(await RenderAsync(db, deadlines, clock.GetCurrentInstant(), ct), ContentType, Encoding.UTF8);
        }).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>The key when one is configured; otherwise the loopback interface only. A connection without an IP
    /// address (a Unix socket, an in-process host) is local.</summary>
    public static bool Allowed(MetricsOptions options, HttpContext http)
    {
        if (!string.IsNullOrEmpty(options.ApiKey))
            return Monitoring.MonitoringApi.Authorized(options.ApiKey, http.Request.Headers.Authorization.ToString());
        var remote = http.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote);
    }

    public static async Task<string> RenderAsync(ReglamentDb db, ResponseDeadlines deadlines, Instant now, CancellationToken ct)
    {
        // The open statuses named, not the closed ones excluded: a NOT IN cannot use the status index and scanned all
        // 100,000 tickets for the ~550 open ones.
        var open = await db.Tickets.AsNoTracking().Where(t => Pages.IndexModel.OpenStatuses.Contains(t.Status))
            .Select(t => new { t.Criticality, t.ResponseDeadline, t.AtRiskAt, t.FirstRespondedAt }).ToListAsync(ct);
        var byChannel = await db.Tickets.AsNoTracking().GroupBy(t => t.Channel).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var breaches = await db.Tickets.AsNoTracking().CountAsync(t => t.SlaBreachedAt != null, ct);
        var outboxWaiting = await db.Outbox.AsNoTracking().CountAsync(m => m.SentAt == null && m.FailedAt == null, ct);
        var outboxFailed = await db.Outbox.AsNoTracking().CountAsync(m => m.FailedAt != null, ct);
        var quarantine = await db.Quarantine.AsNoTracking().CountAsync(q => q.ReleasedAt == null, ct);

        var text = new StringBuilder();
        var states = open.Select(t => (t.Criticality, State: SlaClock.StateOf(t.ResponseDeadline, t.AtRiskAt, t.FirstRespondedAt, now))).ToList();
        Header(text, "reglament_open_tickets", "gauge", "Open tickets (not resolved, closed or refused) by criticality and SLA state.");
        foreach (var criticality in Enum.GetValues<Criticality>())
            foreach (var state in Enum.GetValues<SlaState>())
                Line(text, "reglament_open_tickets", $"criticality=\"{criticality}\",state=\"{state}\"", states.Count(s => s.Criticality == criticality && s.State == state));
        Header(text, "reglament_sla_at_risk_tickets", "gauge", "Open tickets past the at-risk share of their target and not answered.");
        Line(text, "reglament_sla_at_risk_tickets", null, states.Count(s => s.State == SlaState.AtRisk));
        Header(text, "reglament_sla_breached_open_tickets", "gauge", "Open tickets whose deadline passed unanswered or was answered late.");
        Line(text, "reglament_sla_breached_open_tickets", null, states.Count(s => s.State == SlaState.Breached));
        Header(text, "reglament_sla_breaches_total", "counter", "Breaches the watcher raised, over all tickets (a deadline moved later by a calendar import takes one back).");
        Line(text, "reglament_sla_breaches_total", null, breaches);

        // Working seconds to the soonest running deadline (negative once overdue): what an alert on "the next breach is
        // near" needs; absent when nothing runs.
        var soonest = open.Where(t => t.FirstRespondedAt is null && t.ResponseDeadline is not null).Select(t => t.ResponseDeadline!.Value).DefaultIfEmpty().Min();
        if (soonest != default)
        {
            var timeline = deadlines.Timeline;
            var seconds = soonest > now ? timeline.Between(now, soonest).TotalSeconds : -timeline.Between(soonest, now).TotalSeconds;
            Header(text, "reglament_sla_next_deadline_working_seconds", "gauge", "Working seconds to the soonest running response deadline; negative when overdue.");
            Line(text, "reglament_sla_next_deadline_working_seconds", null, seconds);
        }

        Header(text, "reglament_tickets_received_total", "counter", "Tickets created, by intake channel.");
        foreach (var channel in Enum.GetValues<Channel>())
            Line(text, "reglament_tickets_received_total", $"channel=\"{channel}\"", byChannel.FirstOrDefault(c => c.Key == channel)?.Count ?? 0);
        Header(text, "reglament_outbox_waiting", "gauge", "Outgoing mail not yet sent (waiting or retrying).");
        Line(text, "reglament_outbox_waiting", null, outboxWaiting);
        Header(text, "reglament_outbox_failed", "gauge", "Outgoing mail given up on.");
        Line(text, "reglament_outbox_failed", null, outboxFailed);
        Header(text, "reglament_quarantine_items", "gauge", "Quarantined requests not released.");
        Line(text, "reglament_quarantine_items", null, quarantine);
        var missing = CalendarCoverage.Check(deadlines, now).Count(y => y.Status == WorkingTime.YearStatus.Unknown);
        Header(text, "reglament_calendar_years_missing", "gauge", "Years the deadlines are about to need that the production calendar lacks.");
        Line(text, "reglament_calendar_years_missing", null, missing);
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, string? labels, double value) =>
        text.Append(name).Append(labels is null ? "" : "{" + labels + "}").Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
