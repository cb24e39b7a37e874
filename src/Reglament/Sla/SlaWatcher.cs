using System.Threading.Channels;
using Channel = System.Threading.Channels.Channel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.Sla;

/// <summary>Wakes the watcher when a ticket or its deadline changed, so it can sleep until the next instant that matters.</summary>
public sealed class SlaSignal
{
    private readonly Channel<bool> pulses = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Pulse() => pulses.Writer.TryWrite(true);

    /// <summary>Waits for a pulse or for the delay, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(delay);
        try
        {
            await pulses.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Raises "at risk" warnings and "breached" events at the exact instants they fall due — it sleeps until
/// the next one instead of polling — and correctly after a restart: each event is claimed once in the database
/// (<see cref="Ticket.SlaWarnedAt"/>, <see cref="Ticket.SlaBreachedAt"/>), so neither a restart nor a second node
/// repeats it. Warnings go to the engineers on duty; breaches also to the supervisors.</summary>
public sealed class SlaWatcher(IServiceScopeFactory scopes, IClock clock, SlaSignal signal, IOptions<SlaOptions> options, IOptions<MailOptions> mail, SupportTime time,
    Coordination.WorkerLeases leases, ILogger<SlaWatcher> logger)
    : BackgroundService
{
    /// <summary>One node at a time watches (<see cref="Coordination.WorkerLeases"/>); the per-ticket claims below keep a
    /// takeover's overlap from repeating a warning.</summary>
    public const string LeaseName = "sla-watcher";

    private static readonly TicketStatus[] Closed = [TicketStatus.Refused, TicketStatus.Resolved, TicketStatus.Closed];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leases.RunWhileHeldAsync(LeaseName, WatchAsync, stoppingToken);

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var maxSleep = TimeSpan.FromSeconds(Math.Max(1, options.Value.WatcherMaxSleepSeconds));
        try
        {
            // Rules and targets are configuration: re-read the open tickets once, so the cached deadlines follow them.
            await using var scope = scopes.CreateAsyncScope();
            var refreshed = await scope.ServiceProvider.GetRequiredService<TicketDeadlines>()
                .RefreshOpenAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), clock.GetCurrentInstant(), stoppingToken);
            if (refreshed > 0 && logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("SLA watcher: {Count} open tickets' deadlines re-read with the current rules", refreshed);
        }
        catch (Exception e) when (Data.Storage.IsUnavailable(e))
        {
            logger.LogWarning(e, "SLA watcher: storage unavailable; open tickets were not re-read");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            Instant? next = null;
            try
            {
                next = await ProcessDueAsync(stoppingToken);
            }
            catch (Exception e) when (Data.Storage.IsUnavailable(e))
            {
                logger.LogWarning(e, "SLA watcher: storage unavailable; retrying");
            }
            var delay = next is { } at ? (at - clock.GetCurrentInstant()).ToTimeSpan() : maxSleep;
            await signal.WaitAsync(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > maxSleep ? maxSleep : delay, stoppingToken);
        }
    }

    /// <summary>Raises every warning and breach due by now; returns the next instant one falls due.</summary>
    public async Task<Instant?> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var templates = scope.ServiceProvider.GetRequiredService<ReplyTemplates>();
        var waiting = db.Tickets.Where(t => t.FirstRespondedAt == null && !Closed.Contains(t.Status));

        var atRisk = await waiting.Where(t => t.SlaWarnedAt == null && t.AtRiskAt <= now && t.ResponseDeadline > now).Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var id in atRisk)
            await ClaimAndNotifyAsync(db, templates, id, breached: false, now, cancellationToken);

        var breached = await waiting.Where(t => t.SlaBreachedAt == null && t.ResponseDeadline <= now).Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var id in breached)
            await ClaimAndNotifyAsync(db, templates, id, breached: true, now, cancellationToken);

        var nextWarning = await waiting.Where(t => t.SlaWarnedAt == null && t.AtRiskAt > now).MinAsync(t => t.AtRiskAt, cancellationToken);
        var nextBreach = await waiting.Where(t => t.SlaBreachedAt == null && t.ResponseDeadline > now).MinAsync(t => t.ResponseDeadline, cancellationToken);
        return (nextWarning, nextBreach) switch
        {
            ({ } w, { } b) => Instant.Min(w, b),
            (var w, var b) => w ?? b,
        };
    }

    /// <summary>Claims one event of a ticket and queues its mail in one transaction: a node killed between the two
    /// leaves the event unclaimed for the next holder, rather than claimed and never sent; a second holder in the
    /// takeover window waits on the row and then finds it claimed (the failover test kills the holder mid-work).</summary>
    private async Task ClaimAndNotifyAsync(ReglamentDb db, ReplyTemplates templates, long id, bool breached, Instant now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = breached
            ? await db.Tickets.Where(t => t.Id == id && t.SlaBreachedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaBreachedAt, now), cancellationToken)
            : await db.Tickets.Where(t => t.Id == id && t.SlaWarnedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaWarnedAt, now), cancellationToken);
        if (claimed == 1)
            await NotifyAsync(db, templates, id, breached, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task NotifyAsync(ReglamentDb db, ReplyTemplates templates, long ticketId, bool breached, Instant now, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.Include(t => t.Subscriber).SingleAsync(t => t.Id == ticketId, cancellationToken);
        var action = breached ? "sla.breached" : "sla.at-risk";
        db.AuditEvents.Add(new AuditEvent { TicketId = ticketId, At = now, Actor = "sla-watcher", Action = action, Details = $"{ticket.Criticality}, due {ticket.ResponseDeadline}" });
        var recipients = options.Value.DutyEngineers.Concat(breached ? options.Value.Supervisors : []).Distinct(StringComparer.OrdinalIgnoreCase);
        var rendered = await templates.RenderAsync(breached ? TemplateKinds.SlaBreached : TemplateKinds.SlaAtRisk, ticket.Number, culture => new Dictionary<string, string>
        {
            ["ticket"] = ticket.Number.ToString(),
            ["subject"] = ticket.Subject,
            // Each half of the mail names the criticality and the zone in its own language.
            ["criticality"] = Web.DomainText.Get(ticket.Criticality, culture),
            ["deadline"] = time.ShowIn(ticket.ResponseDeadline, culture),
            ["subscriber"] = ticket.Subscriber?.Login ?? "—",
            ["link"] = $"{mail.Value.PublicBaseUrl.TrimEnd('/')}/desk/ticket/{ticket.Number}",
        }, cancellationToken);
        foreach (var to in recipients)
        {
            db.Outbox.Add(OutboxMessage.Notice(OutgoingKind.SlaNotification, to, rendered, ticketId, mail.Value.MessageIdDomain, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("SLA {Action} for {Ticket} ({Criticality}), due {Due}", action, ticket.Number, ticket.Criticality, ticket.ResponseDeadline);
    }
}
