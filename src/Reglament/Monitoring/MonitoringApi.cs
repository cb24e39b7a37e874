using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.Monitoring;

/// <summary>Body of <c>POST /api/tickets/{number}/notify-affected</c>: what the engineer adds to the templated text.</summary>
public sealed record NotifyAffected(string? Text);

public sealed record NotifyAffectedResult(string Ticket, int Subscribers, IReadOnlyList<string> Recipients);

public sealed record AffectedSubscriberView(string Login, string Name, string Resource, IReadOnlyList<string> Contacts);

public sealed record AffectedView(string Ticket, IReadOnlyList<AffectedSubscriberView> Subscribers, IReadOnlyList<string> RelatedRequests);

public sealed record AlertsAccepted(IReadOnlyList<AlertOutcome> Alerts);

/// <summary>The monitoring webhooks (each with its own bearer token, not the integration API keys) and the
/// notification of affected subscribers.</summary>
public static class MonitoringApi
{
    public const int MaxPayloadBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/monitoring").WithTags("Monitoring").AllowAnonymous();
        hooks.MapPost("/alertmanager", (HttpRequest request, IncidentDesk desk, IOptionsMonitor<MonitoringOptions> options, ILoggerFactory log, CancellationToken ct) =>
                ReceiveAsync(request, options.CurrentValue.AlertmanagerToken, AlertPayloads.ReadAlertmanager, desk, log, ct))
            .WithName("AlertmanagerWebhook").WithSummary("Prometheus Alertmanager webhook (payload version 4).");
        hooks.MapPost("/zabbix", (HttpRequest request, IncidentDesk desk, IOptionsMonitor<MonitoringOptions> options, ILoggerFactory log, CancellationToken ct) =>
                ReceiveAsync(request, options.CurrentValue.ZabbixToken, AlertPayloads.ReadZabbix, desk, log, ct))
            .WithName("ZabbixWebhook").WithSummary("Zabbix webhook media type (see README, Monitoring).");
        var api = app.MapGroup("/api").RequireAuthorization("Api").WithTags("Tickets");
        api.MapGet("/tickets/{number}/affected", AffectedAsync).WithName("AffectedSubscribers")
            .WithSummary("The subscribers a monitoring incident affects, and the requests linked to it.");
        api.MapPost("/tickets/{number}/notify-affected", NotifyAffectedAsync).WithName("NotifyAffected")
            .WithSummary("Send one templated message (Russian, then English) to every authorized contact of the subscribers a monitoring incident affects.");
        return app;
    }

    /// <summary>True when the presented token is the configured one. No token configured refuses everyone. Both are
    /// hashed first so the comparison is constant-time whatever their lengths.</summary>
    public static bool Authorized(string? configured, string? authorizationHeader)
    {
        if (string.IsNullOrEmpty(configured) || authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorizationHeader["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
    }

    internal static async Task<Results<Ok<AlertsAccepted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, string? token, Func<JsonElement, (IReadOnlyList<Alert>, Dictionary<string, string[]>)> read, IncidentDesk desk, ILoggerFactory log, CancellationToken cancellationToken)
    {
        var logger = log.CreateLogger(typeof(MonitoringApi));
        if (!Authorized(token, request.Headers.Authorization.ToString()))
        {
            logger.LogWarning("Monitoring webhook {Path}: refused a request without the configured token", request.Path);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authorized",
                detail: "Present the configured monitoring token as Authorization: Bearer <token>.");
        }
        if (request.ContentLength > MaxPayloadBytes)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"Notifications are limited to {MaxPayloadBytes} bytes.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxPayloadBytes)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"Notifications are limited to {MaxPayloadBytes} bytes.");
        var raw = buffer.ToArray();
        IReadOnlyList<Alert> alerts;
        Dictionary<string, string[]> errors;
        try
        {
            using var document = JsonDocument.Parse(raw);
            (alerts, errors) = read(document.RootElement);
        }
        catch (JsonException e)
        {
            logger.LogWarning("Monitoring webhook {Path}: malformed JSON: {Error}", request.Path, e.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: $"The notification is not JSON ({e.Message}); nothing was stored.");
        }
        if (errors.Count > 0)
        {
            logger.LogWarning("Monitoring webhook {Path}: invalid payload: {Errors}", request.Path, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            return TypedResults.ValidationProblem(errors, detail: "The notification is not valid; nothing was stored.");
        }
        return TypedResults.Ok(new AlertsAccepted(await desk.ProcessAsync(alerts, raw, cancellationToken)));
    }

    internal static async Task<Results<Ok<AffectedView>, ProblemHttpResult>> AffectedAsync(string number, ReglamentDb db, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a ticket number", detail: $"'{number}' is not a ticket number like RG-000042.");
        var id = parsed.Value.Value;
        if (!await db.Tickets.AnyAsync(t => t.Id == id, cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: $"There is no ticket {parsed}.");
        var subscribers = await db.IncidentSubscribers.AsNoTracking().Where(l => l.TicketId == id).OrderBy(l => l.Subscriber.Login)
            .Select(l => new { l.Subscriber.Login, l.Subscriber.Name, l.Resource, Contacts = l.Subscriber.Contacts.Select(c => c.Email).ToList() })
            .ToListAsync(cancellationToken);
        var related = await db.Tickets.AsNoTracking().Where(t => t.RelatedIncidentId == id).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AffectedView(parsed.Value.ToString(),
            [.. subscribers.Select(s => new AffectedSubscriberView(s.Login, s.Name, s.Resource, s.Contacts))],
            [.. related.Select(r => new TicketNumber(r).ToString())]));
    }

    internal static async Task<Results<Ok<NotifyAffectedResult>, ProblemHttpResult>> NotifyAffectedAsync(
        string number, NotifyAffected? body, ReglamentDb db, ReplyTemplates templates, IOptions<MailOptions> mail, IClock clock, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a ticket number", detail: $"'{number}' is not a ticket number like RG-000042.");
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == parsed.Value.Value, cancellationToken);
        if (ticket is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: $"There is no ticket {parsed}.");
        var affected = await db.Subscribers.Include(s => s.Contacts)
            .Where(s => db.IncidentSubscribers.Any(l => l.TicketId == ticket.Id && l.SubscriberId == s.Id))
            .OrderBy(s => s.Login).ToListAsync(cancellationToken);
        if (affected.Count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No affected subscribers",
                detail: $"Ticket {ticket.Number} has no affected subscribers linked; nothing was sent.");

        var now = clock.GetCurrentInstant();
        var text = body?.Text?.Trim() ?? "";
        var recipients = new List<string>();
        foreach (var subscriber in affected)
        {
            var rendered = await templates.RenderAsync(TemplateKinds.Incident, ticket.Number, _ => new Dictionary<string, string>
            {
                ["ticket"] = ticket.Number.ToString(),
                ["subject"] = ticket.Subject,
                ["subscriber"] = subscriber.Name,
                ["text"] = text,
            }, cancellationToken);
            foreach (var to in subscriber.Contacts.Select(c => c.Email).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                db.Outbox.Add(OutboxMessage.Notice(OutgoingKind.IncidentNotification, to, rendered, ticket.Id, mail.Value.MessageIdDomain, now));
                recipients.Add(to);
            }
        }
        db.AuditEvents.Add(new AuditEvent
        {
            TicketId = ticket.Id,
            At = now,
            Actor = $"api:{user.Identity?.Name}",
            Action = "incident.notified",
            Details = $"{affected.Count} subscribers ({string.Join(", ", affected.Select(s => s.Login))}), {recipients.Count} messages" + (text.Length > 0 ? $"; text: {text}" : ""),
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new NotifyAffectedResult(ticket.Number.ToString(), affected.Count, recipients));
    }
}
