using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament.Monitoring;

/// <summary>What one alert did: opened, updated, reopened or resolved an incident, or nothing (a resolution of an
/// alert Reglament never saw firing, or a repeated resolution).</summary>
public sealed record AlertOutcome(string Fingerprint, string Action, string? Ticket);

/// <summary>Turns alerts into incident tickets (R2), keyed by the alert's fingerprint, in one transaction per
/// notification: a grouped payload is stored completely or not at all, so the sender's retry is safe.</summary>
public sealed partial class IncidentDesk(ReglamentDb db, TicketClock slaClock, SlaSignal signal, IOptions<MonitoringOptions> options, IClock clock, ILogger<IncidentDesk> logger)
{
    public const string Actor = "monitoring";

    public async Task<IReadOnlyList<AlertOutcome>> ProcessAsync(IReadOnlyList<Alert> alerts, byte[] rawSource, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        IReadOnlyList<AlertOutcome> outcomes;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                outcomes = await strategy.ExecuteAsync(async ct =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var results = new List<AlertOutcome>(alerts.Count);
                    foreach (var alert in alerts)
                    {
                        results.Add(await ProcessAsync(alert, rawSource, ct));
                        await db.SaveChangesAsync(ct);
                    }
                    await transaction.CommitAsync(ct);
                    return results;
                }, cancellationToken);
                break;
            }
            catch (DbUpdateException e) when (Storage.IsUniqueViolation(e) && attempt < 5)
            {
                // Another request (another node) opened this alert's incident between our read and our insert; the
                // transaction rolled back whole, and the next attempt finds that incident and updates it.
                LogConcurrentOpen(logger, attempt);
            }
        }
        signal.Pulse();
        if (logger.IsEnabled(LogLevel.Information))
            foreach (var outcome in outcomes)
                logger.LogInformation("Alert {Fingerprint}: {Action} {Ticket}", outcome.Fingerprint, outcome.Action, outcome.Ticket);
        return outcomes;
    }

    private async Task<AlertOutcome> ProcessAsync(Alert alert, byte[] rawSource, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var settings = options.Value;
        var incident = await db.Set<MonitoringIncident>().Include(i => i.Ticket)
            .Where(i => i.Source == alert.Source && i.Fingerprint == alert.Fingerprint)
            .OrderByDescending(i => i.Id).FirstOrDefaultAsync(cancellationToken);

        if (!alert.Firing)
        {
            if (incident is null || incident.ResolvedAt is not null)
                return new AlertOutcome(alert.Fingerprint, "ignored", incident?.Ticket.Number.ToString());
            incident.ResolvedAt = now;
            Note(incident, alert, rawSource, now, "alert.resolved", "resolved");
            if (settings.ResolveTickets && incident.Ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed or TicketStatus.Refused))
                incident.Ticket.MoveTo(TicketStatus.Resolved);
            return new AlertOutcome(alert.Fingerprint, "resolved", incident.Ticket.Number.ToString());
        }

        if (incident is { ResolvedAt: null })
        {
            Note(incident, alert, rawSource, now, "alert.repeated", "still firing");
            return new AlertOutcome(alert.Fingerprint, "updated", incident.Ticket.Number.ToString());
        }

        if (incident is { ResolvedAt: { } resolved } && now - resolved <= Duration.FromMinutes(settings.ReopenWindowMinutes))
        {
            // Flapping: the same outage, so the same incident, not a storm of new tickets.
            incident.ResolvedAt = null;
            Note(incident, alert, rawSource, now, "alert.reopened", $"fired again {(now - resolved).TotalMinutes:0} min after it was resolved");
            var reopens = incident.Ticket.Status is TicketStatus.Resolved or TicketStatus.Closed;
            if (reopens)
                incident.Ticket.MoveTo(TicketStatus.Open);
            // The outage came back: once answered, the incident gets a fresh response deadline from now.
            await slaClock.SubscriberWroteAsync(db, incident.Ticket, now, Actor, reopens, now, cancellationToken);
            return new AlertOutcome(alert.Fingerprint, "reopened", incident.Ticket.Number.ToString());
        }

        var ticket = await OpenAsync(alert, rawSource, now, cancellationToken);
        return new AlertOutcome(alert.Fingerprint, "opened", ticket.Number.ToString());
    }

    private async Task<Ticket> OpenAsync(Alert alert, byte[] rawSource, Instant now, CancellationToken cancellationToken)
    {
        var criticality = options.Value.CriticalityOf(alert.Severity);
        var subject = Truncate($"[{alert.Source}] {alert.Name}: {FirstLine(alert.Summary)}", 1000);
        var ticket = new Ticket
        {
            Subject = subject,
            Channel = Channel.Monitoring,
            Type = RequestType.Incident,
            Criticality = criticality,
            ReceivedAt = now,
        };
        ticket.Messages.Add(ToMessage(alert, rawSource, now, "firing"));
        var evidence = new Evidence("Monitoring", "R2", $"{alert.Source} alert {alert.Name}, severity {alert.Severity ?? "—"} → {criticality}", alert.Fingerprint);
        ticket.Decisions.Add(new Decision { Outcome = DecisionOutcome.Accepted, DecidedAt = now, DecidedBy = Actor, Evidence = [evidence] });
        ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = Actor, Action = "ticket.created", Details = $"{alert.Source} alert {alert.Fingerprint}" });
        await slaClock.RecordAsync(db, ticket, SlaEvent.Received(now, criticality, RequestType.Incident, Actor), now, cancellationToken);
        db.Tickets.Add(ticket);
        db.Set<MonitoringIncident>().Add(new MonitoringIncident
        {
            Ticket = ticket,
            Source = alert.Source,
            Fingerprint = alert.Fingerprint,
            AlertName = Truncate(alert.Name, 500),
            Severity = alert.Severity is null ? null : Truncate(alert.Severity, 100),
            OpenedAt = now,
            LastNotifiedAt = now,
            Notifications = 1,
        });
        await db.SaveChangesAsync(cancellationToken);
        await LinkAffectedAsync(ticket, alert, now, cancellationToken);
        return ticket;
    }

    /// <summary>Links the subscribers whose resources the alert names (configuration <c>Monitoring:Resources</c>).
    /// An <c>instance</c> like <c>vps-42:9100</c> matches the resource <c>vps-42</c>.</summary>
    private async Task LinkAffectedAsync(Ticket ticket, Alert alert, Instant now, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in options.Value.Resources)
        {
            var named = alert.Resources.FirstOrDefault(r => Matches(r, entry.Resource));
            if (named is null)
                continue;
            foreach (var subscriber in entry.Subscribers)
                owners.TryAdd(subscriber.Trim(), entry.Resource);
        }
        if (owners.Count == 0)
            return;
        var keys = owners.Keys.ToList();
        var subscribers = await db.Subscribers.Where(s => keys.Contains(s.Login) || keys.Contains(s.ClientId)).ToListAsync(cancellationToken);
        foreach (var subscriber in subscribers)
        {
            var resource = owners.TryGetValue(subscriber.Login, out var r) ? r : owners[subscriber.ClientId];
            db.Set<IncidentSubscriber>().Add(new IncidentSubscriber { TicketId = ticket.Id, SubscriberId = subscriber.Id, Resource = Truncate(resource, 500), LinkedAt = now });
        }
        ticket.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = Actor,
            Action = "incident.affected",
            Details = subscribers.Count == 0 ? "no configured subscriber exists" : string.Join(", ", subscribers.Select(s => s.Login)),
        });
    }

    internal static bool Matches(string named, string resource)
    {
        if (string.Equals(named, resource, StringComparison.OrdinalIgnoreCase))
            return true;
        var colon = named.LastIndexOf(':');
        return colon > 0 && string.Equals(named[..colon], resource, StringComparison.OrdinalIgnoreCase);
    }

    private static void Note(MonitoringIncident incident, Alert alert, byte[] rawSource, Instant now, string action, string state)
    {
        incident.LastNotifiedAt = now;
        incident.Notifications++;
        incident.Ticket.Messages.Add(ToMessage(alert, rawSource, now, state));
        incident.Ticket.AuditEvents.Add(new AuditEvent { At = now, Actor = Actor, Action = action, Details = $"{alert.Source} alert {alert.Fingerprint}: {state}" });
    }

    private static Message ToMessage(Alert alert, byte[] rawSource, Instant now, string state) => new()
    {
        Direction = MessageDirection.Inbound,
        At = now,
        Author = alert.Source,
        Subject = Truncate($"[{alert.Source}] {alert.Name} ({state})", 1000),
        Body = alert.Summary,
        // The whole notification as received: fields Reglament does not read are kept here.
        Source = MessageSource.Of(rawSource),
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;

    [LoggerMessage(LogLevel.Information, "An alert's incident was opened concurrently; reading it again (attempt {Attempt})")]
    private static partial void LogConcurrentOpen(ILogger logger, int attempt);
}
