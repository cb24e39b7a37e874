using MailKit.Net.Smtp;
using MimeKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;

namespace Reglament.Mail;

/// <summary>Delivers the outbox over SMTP. Several nodes may share one PostgreSQL: each claims a batch in one
/// statement (<c>FOR UPDATE SKIP LOCKED</c>: concurrent claimers take disjoint rows without waiting for each other;
/// SQLite, one node, claims row by row with a conditional update). The claim expires so a node that dies mid-batch does
/// not strand its messages; while a batch is being sent the claims are renewed, and each message is re-confirmed as
/// still this node's just before it is sent, so a slow batch whose claim ran out and was taken by another node does
/// not send that message a second time. Delivery is at-least-once only for a node that dies after the server accepted
/// a message but before recording it: the claim expires and the message is sent again with the same Message-ID,
/// which receiving clients use to recognise the repeat.</summary>
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
        var claimed = await ClaimAsync(cancellationToken);
        if (claimed.Count == 0)
            return 0;
        await SendClaimedAsync(claimed, cancellationToken);
        return claimed.Count;
    }

    /// <summary>Claims up to a batch of due messages for this node (the first half of <see cref="DeliverDueAsync"/>).</summary>
    public async Task<List<OutboxMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        return await ClaimAsync(db, smtpOptions.Value, cancellationToken);
    }

    /// <summary>Sends what <see cref="ClaimAsync(CancellationToken)"/> claimed over one connection; a message whose claim
    /// this node no longer holds is skipped. Returns how many were sent.</summary>
    public async Task<int> SendClaimedAsync(IReadOnlyList<OutboxMessage> claimed, CancellationToken cancellationToken)
    {
        var options = smtpOptions.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var sent = 0;
        var renewedAt = clock.GetCurrentInstant();

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
            // Renew the rest of the batch now and then, so a slow batch keeps its claims…
            if (clock.GetCurrentInstant() - renewedAt > Duration.FromTimeSpan(options.ClaimDuration / 4))
            {
                renewedAt = clock.GetCurrentInstant();
                var until = renewedAt + Duration.FromTimeSpan(options.ClaimDuration);
                await db.Outbox.Where(o => o.ClaimedBy == NodeId && o.SentAt == null && o.FailedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(o => o.ClaimedUntil, until), cancellationToken);
            }
            // …and send a message only while it is still ours: a claim that ran out may have been taken by another node.
            if (!await ConfirmClaimAsync(db, outgoing, options, cancellationToken))
            {
                LogClaimLost(outgoing.InternetMessageId);
                continue;
            }
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
            sent++;
        }
        if (smtp.IsConnected)
        {
            try { await smtp.DisconnectAsync(true, cancellationToken); }
            catch (Exception e) when (e is IOException or SmtpProtocolException) { logger.LogDebug(e, "SMTP QUIT failed"); }
        }
        return sent;
    }

    /// <summary>Extends this node's claim on one message; false when the claim is no longer this node's.</summary>
    private async Task<bool> ConfirmClaimAsync(ReglamentDb db, OutboxMessage outgoing, SmtpOptions options, CancellationToken cancellationToken)
    {
        var until = clock.GetCurrentInstant() + Duration.FromTimeSpan(options.ClaimDuration);
        return await db.Outbox.Where(o => o.Id == outgoing.Id && o.ClaimedBy == NodeId && o.SentAt == null && o.FailedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ClaimedUntil, until), cancellationToken) == 1;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(ReglamentDb db, SmtpOptions options, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var until = now + Duration.FromTimeSpan(options.ClaimDuration);
        if (db is PostgresReglamentDb)
        {
            // One statement claims the batch; rows another node is claiming at this moment are skipped, not waited for.
            var ids = await db.Database.SqlQuery<long>($"""
                UPDATE "Outbox" SET "ClaimedBy" = {NodeId}, "ClaimedUntil" = {until}
                WHERE "Id" IN (
                    SELECT "Id" FROM "Outbox"
                    WHERE "SentAt" IS NULL AND "FailedAt" IS NULL AND ("NextAttemptAt" IS NULL OR "NextAttemptAt" <= {now})
                      AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                    ORDER BY "Id" LIMIT {options.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(cancellationToken);
            return await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        }
        var candidates = await db.Outbox.AsNoTracking()
            .Where(o => o.SentAt == null && o.FailedAt == null && (o.NextAttemptAt == null || o.NextAttemptAt <= now) && (o.ClaimedUntil == null || o.ClaimedUntil < now))
            .OrderBy(o => o.Id).Select(o => o.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
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

    [LoggerMessage(LogLevel.Warning, "Not sending {MessageId}: this node's claim on it ran out and another node took it")]
    private partial void LogClaimLost(string messageId);

    [LoggerMessage(LogLevel.Information, "Sent {Kind} {MessageId} to {To}")]
    private partial void LogSent(OutgoingKind kind, string messageId, string to);

    [LoggerMessage(LogLevel.Error, "Gave up on {MessageId} to {To} after {Attempts} attempt(s): {Error}")]
    private partial void LogGaveUp(string messageId, string to, int attempts, string error);

    [LoggerMessage(LogLevel.Warning, "Sending {MessageId} to {To} failed (attempt {Attempts}), retry at {Next}: {Error}")]
    private partial void LogRetry(string messageId, string to, int attempts, Instant next, string error);
}
