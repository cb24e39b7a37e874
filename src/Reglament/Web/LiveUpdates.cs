using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reglament.Data;
using Reglament.Tickets;

namespace Reglament.Web;

/// <summary>Server-sent events for the queue and ticket pages: <c>GET /desk/events</c> (any ticket) or
/// <c>?ticket=RG-…</c> (one) sends <c>event: changed</c> when something was stored after the page was drawn — a new
/// ticket, a message, an audit event (status, assignment, criticality, review, reply), a clock event — and the page
/// offers to reload. The change is read from the database, not from this node's memory, so a change made on another
/// node (or by intake, the watcher, the API) is seen too: every few seconds the stream compares the highest ids of those
/// tables with the ones it started from (primary keys, so each look is four index reads). A stream lasts a few minutes
/// and ends; the browser's EventSource reconnects by itself, so no connection is held forever.</summary>
public static class LiveUpdates
{
    public const string Section = "Web:Live";

    public sealed class Options
    {
        /// <summary>How often a stream looks for a change.</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>How long one stream lasts before the browser reconnects.</summary>
        public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
    }

    /// <summary>The highest ids of what a change stores; equal fingerprints mean nothing new was stored.</summary>
    public static async Task<string> FingerprintAsync(ReglamentDb db, long? ticket, CancellationToken cancellationToken)
    {
        var tickets = ticket is { } one ? db.Tickets.Where(t => t.Id == one) : db.Tickets;
        var messages = ticket is { } m ? db.Messages.Where(x => x.TicketId == m) : db.Messages;
        var audit = ticket is { } a ? db.AuditEvents.Where(x => x.TicketId == a) : db.AuditEvents;
        var clock = ticket is { } c ? db.SlaEvents.Where(x => x.TicketId == c) : db.SlaEvents;
        var parts = new[]
        {
            await tickets.MaxAsync(t => (long?)t.Id, cancellationToken),
            await messages.MaxAsync(x => (long?)x.Id, cancellationToken),
            await audit.MaxAsync(x => (long?)x.Id, cancellationToken),
            await clock.MaxAsync(x => (long?)x.Id, cancellationToken),
        };
        return string.Join('.', parts.Select(p => (p ?? 0).ToString(CultureInfo.InvariantCulture)));
    }

    public static void MapLiveUpdates(this IEndpointRouteBuilder app) =>
        app.MapGet("/desk/events", async (HttpContext http, string? ticket, string? since, IServiceScopeFactory scopes,
            Microsoft.Extensions.Options.IOptions<Options> options, CancellationToken cancellationToken) =>
        {
            long? id = null;
            if (ticket is not null)
            {
                if (!TicketNumber.TryParse(ticket, out var number))
                    return Results.NotFound();
                await using var scope = scopes.CreateAsyncScope();
                var found = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Tickets.AsNoTracking()
                    .FirstOrDefaultAsync(t => t.Id == number.Value.Value, cancellationToken);
                if (found is null || !DeskAccess.CanSee(http.User, found))
                    return Results.NotFound();
                id = found.Id;
            }
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            // A reverse proxy must not hold the events back in a buffer (nginx).
            http.Response.Headers["X-Accel-Buffering"] = "no";
            var settings = options.Value;
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lifetime.CancelAfter(settings.Lifetime);
            try
            {
                // The page says what it showed (since); without it the stream starts from what is stored now.
                var start = since;
                await http.Response.WriteAsync(": open\n\n", lifetime.Token);
                await http.Response.Body.FlushAsync(lifetime.Token);
                while (!lifetime.IsCancellationRequested)
                {
                    string now;
                    // One short scope per look: a stream must not keep a DbContext (and a connection) for minutes.
                    await using (var scope = scopes.CreateAsyncScope())
                        now = await FingerprintAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), id, lifetime.Token);
                    start ??= now;
                    if (now != start)
                    {
                        await http.Response.WriteAsync($"event: changed\ndata: {now}\n\n", lifetime.Token);
                        await http.Response.Body.FlushAsync(lifetime.Token);
                        start = now;
                    }
                    else
                    {
                        // A comment keeps proxies from closing an idle stream and tells a gone browser from a quiet queue.
                        await http.Response.WriteAsync(": \n\n", lifetime.Token);
                        await http.Response.Body.FlushAsync(lifetime.Token);
                    }
                    await Task.Delay(settings.Interval, lifetime.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // The browser went away, or the stream's lifetime is over: the browser reconnects.
            }
            return Results.Empty;
        }).RequireAuthorization(StaffSignIn.DeskPolicy).ExcludeFromDescription();
}
