using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Options;
using Reglament.Intake;

namespace Reglament.Mail;

/// <summary>Reads the configured IMAP mailboxes: every message in the folder goes through <see cref="MailIngestion"/>
/// and, only once its outcome is committed, is moved to the processed folder. IDLE when the server offers it,
/// polling otherwise; on any failure it reconnects with exponential backoff.
/// A crash between the commit and the move leaves the message in the folder; on the next pass the recorded
/// (mailbox, UIDVALIDITY, UID) — and the Message-ID — make it a duplicate, and it is only moved.</summary>
public sealed partial class ImapIntake(IServiceScopeFactory scopes, IOptions<ImapOptions> options, Coordination.WorkerLeases leases, ILogger<ImapIntake> logger) : BackgroundService
{
    /// <summary>One node at a time reads the mailboxes (<see cref="Coordination.WorkerLeases"/>); during a takeover's
    /// overlap the recorded (mailbox, UIDVALIDITY, UID) keeps a message from becoming two tickets.</summary>
    public const string LeaseName = "imap-intake";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunWhileHeldAsync(LeaseName, held => Task.WhenAll(options.Value.Mailboxes.Select(mailbox => WatchAsync(mailbox, held))), stoppingToken);

    private async Task WatchAsync(ImapMailboxOptions mailbox, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var delay = settings.InitialReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var client = await ConnectAsync(mailbox, stoppingToken);
                var (folder, processed) = await OpenAsync(client, mailbox, stoppingToken);
                LogWatching(mailbox.Key, client.Capabilities.HasFlag(ImapCapabilities.Idle) && mailbox.UseIdle);
                delay = settings.InitialReconnectDelay;
                // New mail can be announced (EXISTS) in the answer to any command, also between a search that found
                // nothing and the start of IDLE; remember every announcement so that none is slept through.
                var announced = 0;
                folder.CountChanged += (_, _) => Interlocked.Exchange(ref announced, 1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    Interlocked.Exchange(ref announced, 0);
                    var taken = await DrainAsync(folder, processed, mailbox, stoppingToken);
                    if (taken == 0 && Volatile.Read(ref announced) == 0)
                        await WaitForMailAsync(client, folder, mailbox, settings, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Server gone, login refused, storage unavailable: the message stays on the server; try again later.
                LogReconnect(e, mailbox.Key, delay);
                try { await Task.Delay(delay, stoppingToken); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>One pass over a mailbox — connect, take every message, disconnect. Returns how many were taken.</summary>
    public async Task<int> ProcessOnceAsync(ImapMailboxOptions mailbox, CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(mailbox, cancellationToken);
        var (folder, processed) = await OpenAsync(client, mailbox, cancellationToken);
        var count = await DrainAsync(folder, processed, mailbox, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return count;
    }

    private static async Task<ImapClient> ConnectAsync(ImapMailboxOptions mailbox, CancellationToken cancellationToken)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = MailCertificates.Callback(mailbox.TrustedCertificate) };
        try
        {
            await client.ConnectAsync(mailbox.Host, mailbox.Port, mailbox.Security, cancellationToken);
            await client.AuthenticateAsync(mailbox.UserName, mailbox.Password, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<(IMailFolder Folder, IMailFolder Processed)> OpenAsync(ImapClient client, ImapMailboxOptions mailbox, CancellationToken cancellationToken)
    {
        var folder = mailbox.Folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(mailbox.Folder, cancellationToken);
        IMailFolder processed;
        try
        {
            processed = await client.GetFolderAsync(mailbox.ProcessedFolder, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            processed = await root.CreateAsync(mailbox.ProcessedFolder, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"{mailbox.Key}: the server did not create {mailbox.ProcessedFolder}");
        }
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        return (folder, processed);
    }

    private async Task<int> DrainAsync(IMailFolder folder, IMailFolder processed, ImapMailboxOptions mailbox, CancellationToken cancellationToken)
    {
        var uids = await folder.SearchAsync(SearchQuery.NotDeleted, cancellationToken);
        // A backlog is taken in batches, one transaction each (group commit), then moved with one command; a crash
        // between the commit and the move leaves messages that the recorded (UIDVALIDITY, UID) marks as taken.
        foreach (var chunk in uids.Chunk(MailIngestion.BatchSize))
        {
            var batch = new List<(byte[], MailboxPosition)>(chunk.Length);
            foreach (var uid in chunk)
            {
                using var stream = await folder.GetStreamAsync(uid, cancellationToken);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                batch.Add((buffer.ToArray(), new MailboxPosition(mailbox.Key, folder.UidValidity, uid.Id)));
            }
            var results = await MailIngestion.IngestBatchAsync(scopes, batch, cancellationToken);
            // Only now, with the outcomes committed, do the messages leave the folder.
            await folder.MoveToAsync(chunk, processed, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                var result = results[i];
                LogTaken(mailbox.Key, chunk[i].Id, result?.Outcome, result?.Ticket?.ToString(), result?.QuarantineReason);
            }
        }
        return uids.Count;
    }

    private static async Task WaitForMailAsync(ImapClient client, IMailFolder folder, ImapMailboxOptions mailbox, ImapOptions settings, CancellationToken stoppingToken)
    {
        if (!mailbox.UseIdle || !client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(settings.PollInterval, stoppingToken);
            await client.NoOpAsync(stoppingToken);
            return;
        }
        using var done = new CancellationTokenSource(settings.IdleRefresh);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, stoppingToken);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    [LoggerMessage(LogLevel.Information, "Watching {Mailbox} (IDLE: {Idle})")]
    private partial void LogWatching(string mailbox, bool idle);

    [LoggerMessage(LogLevel.Warning, "Mailbox {Mailbox} failed; reconnecting in {Delay}")]
    private partial void LogReconnect(Exception e, string mailbox, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "{Mailbox} UID {Uid}: {Outcome} {Ticket} {QuarantineReason}")]
    private partial void LogTaken(string mailbox, uint uid, IntakeOutcome? outcome, string? ticket, QuarantineReason? quarantineReason);
}
