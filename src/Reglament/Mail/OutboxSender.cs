using MailKit.Net.Smtp;
using MimeKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;

namespace Reglament.Mail;

/// <summary>Delivers the outbox over SMTP. Several nodes may share one PostgreSQL: each claims a row with a
/// conditional update (only one update can win it) before sending, and the claim expires so a node that dies
/// mid-send does not strand the message. Delivery is at-least-once: a node that dies after the server accepted
/// a message but before recording it leaves the claim to expire, and the message is sent again with the same
/// Message-ID, which receiving clients use to recognise the repeat.</summary>
public sealed partial class OutboxSender(IServiceScopeFactory scopes, IOptions<SmtpOptions> smtpOptions, IOptions<MailOptions> mailOptions,
    IClock clock, ILogger<OutboxSender> logger) : BackgroundService
{
    /// <summary>Identifies this node's claims; unique per process so two workers never mistake each other's.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = smtpOptions.Value;
        LogStarting(options.Host, options.Port, options.Security);
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage down or a bug: keep the worker alive, the rows stay in the outbox.
                logger.LogError(e, "Outbox delivery pass failed");
                handled = 0;
            }
            if (handled == 0)
            {
                try { await Task.Delay(options.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>One pass: claims up to a batch of due messages and sends them over one connection. Returns how many
    /// were claimed (sent or failed), so the caller knows whether to look again at once.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var options = smtpOptions.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var claimed = await ClaimAsync(db, options, cancellationToken);
        if (claimed.Count == 0)
            return 0;

        using var smtp = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds, ServerCertificateValidationCallback = MailCertificates.Callback(options.TrustedCertificate) };
        Exception? connectionProblem = null;
        try
        {
            await smtp.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken);
            if (options.UserName.Length > 0)
                await smtp.AuthenticateAsync(options.UserName, options.Password, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            connectionProblem = e;
        }

        foreach (var outgoing in claimed)
        {
            if (connectionProblem is not null)
            {
                await FailAsync(db, outgoing, connectionProblem, permanent: false, options, cancellationToken);
                continue;
            }
            try
            {
                await smtp.SendAsync(OutgoingMail.Build(outgoing, mailOptions.Value, clock.GetCurrentInstant()), cancellationToken);
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or FormatException or ParseException)
            {
                // 5xx for this message (a refused recipient) or a malformed address will not get better by retrying.
                var permanent = e is FormatException or ParseException || (e is SmtpCommandException command && (int)command.StatusCode >= 500);
                await FailAsync(db, outgoing, e, permanent, options, cancellationToken);
                if (!smtp.IsConnected)
                    connectionProblem = e;
                continue;
            }
            var now = clock.GetCurrentInstant();
            await db.Outbox.Where(o => o.Id == outgoing.Id && o.ClaimedBy == NodeId).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.SentAt, now)
                .SetProperty(o => o.Attempts, outgoing.Attempts + 1)
                .SetProperty(o => o.ClaimedBy, (string?)null)
                .SetProperty(o => o.ClaimedUntil, (Instant?)null), cancellationToken);
            LogSent(outgoing.Kind, outgoing.InternetMessageId, outgoing.To);
        }
        if (smtp.IsConnected)
        {
            try { await smtp.DisconnectAsync(true, cancellationToken); }
            catch (Exception e) when (e is IOException or SmtpProtocolException) { logger.LogDebug(e, "SMTP QUIT failed"); }
        }
        return claimed.Count;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(ReglamentDb db, SmtpOptions options, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var candidates = await db.Outbox.AsNoTracking()
            .Where(o => o.SentAt == null && o.FailedAt == null && (o.NextAttemptAt == null || o.NextAttemptAt <= now) && (o.ClaimedUntil == null || o.ClaimedUntil < now))
            .OrderBy(o => o.Id).Select(o => o.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
        var until = now + Duration.FromTimeSpan(options.ClaimDuration);
        var mine = new List<long>();
        foreach (var id in candidates)
        {
            // The condition is evaluated again under the row lock (PostgreSQL) or the write lock (SQLite):
            // of two nodes racing for the row, exactly one updates it.
            var won = await db.Outbox.Where(o => o.Id == id && o.SentAt == null && (o.ClaimedUntil == null || o.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedBy, NodeId).SetProperty(o => o.ClaimedUntil, until), cancellationToken);
            if (won == 1)
                mine.Add(id);
        }
        return await db.Outbox.AsNoTracking().Where(o => mine.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync(cancellationToken);
    }

    private async Task FailAsync(ReglamentDb db, OutboxMessage outgoing, Exception problem, bool permanent, SmtpOptions options, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var attempts = outgoing.Attempts + 1;
        var giveUp = permanent || attempts >= options.MaxAttempts;
        var next = now + Duration.FromTimeSpan(RetryDelay(attempts, options));
        var error = problem.Message.Length > 2000 ? problem.Message[..2000] : problem.Message;
        await db.Outbox.Where(o => o.Id == outgoing.Id && o.ClaimedBy == NodeId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Attempts, attempts)
            .SetProperty(o => o.LastError, error)
            .SetProperty(o => o.NextAttemptAt, giveUp ? null : next)
            .SetProperty(o => o.FailedAt, giveUp ? now : null)
            .SetProperty(o => o.ClaimedBy, (string?)null)
            .SetProperty(o => o.ClaimedUntil, (Instant?)null), cancellationToken);
        if (giveUp)
            LogGaveUp(outgoing.InternetMessageId, outgoing.To, attempts, error);
        else
            LogRetry(outgoing.InternetMessageId, outgoing.To, attempts, next, error);
    }

    /// <summary>Exponential backoff: the initial delay, doubled per failed attempt, capped.</summary>
    public static TimeSpan RetryDelay(int attempts, SmtpOptions options)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = options.InitialRetryDelay.TotalSeconds * factor;
        return TimeSpan.FromSeconds(Math.Min(delay, options.MaxRetryDelay.TotalSeconds));
    }

    [LoggerMessage(LogLevel.Information, "Outbox delivery to {Host}:{Port} ({Security})")]
    private partial void LogStarting(string host, int port, MailKit.Security.SecureSocketOptions security);

    [LoggerMessage(LogLevel.Information, "Sent {Kind} {MessageId} to {To}")]
    private partial void LogSent(OutgoingKind kind, string messageId, string to);

    [LoggerMessage(LogLevel.Error, "Gave up on {MessageId} to {To} after {Attempts} attempt(s): {Error}")]
    private partial void LogGaveUp(string messageId, string to, int attempts, string error);

    [LoggerMessage(LogLevel.Warning, "Sending {MessageId} to {To} failed (attempt {Attempts}), retry at {Next}: {Error}")]
    private partial void LogRetry(string messageId, string to, int attempts, Instant next, string error);
}
