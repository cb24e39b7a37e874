using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Reglament.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(Reglament.Tests.Mail.MailServer))]

namespace Reglament.Tests.Mail;

/// <summary>A real Postfix (SMTP) and Dovecot (IMAP with IDLE) for the whole test run, started once with the
/// project's scripts/mailstack.sh on free loopback ports and stopped afterwards. Users support@, client1@ and
/// client2@example.test exist from the start; tests that must not share a mailbox ask for their own.</summary>
public sealed class MailServer : IAsyncLifetime
{
    public const string Domain = "example.test";
    public const string Password = "secret";

    // Mailboxes handed out to tests, created with the server: Dovecot re-reads its passwd-file only when the file's
    // modification second changes, so users appended during the run could be refused for up to a second (seen as a
    // flaky "Authentication failed").
    private const int PoolSize = 300;
    private int mailboxCounter;

    public string StateDirectory { get; private set; } = "";

    public int SmtpPort { get; private set; }

    public int ImapPort { get; private set; }

    /// <summary>IMAP over TLS (self-signed certificate <see cref="CertificatePath"/>); SMTP and IMAP also offer STARTTLS.</summary>
    public int ImapsPort { get; private set; }

    public string CertificatePath => Path.Combine(StateDirectory, "cert.pem");

    public async ValueTask InitializeAsync()
    {
        SmtpPort = FreePort();
        ImapPort = FreePort();
        var lmtpPort = FreePort();
        ImapsPort = FreePort();
        var output = await Scripts.RunAsync("mailstack.sh", ["start"], new()
        {
            ["SMTP_PORT"] = SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["IMAP_PORT"] = ImapPort.ToString(CultureInfo.InvariantCulture),
            ["LMTP_PORT"] = lmtpPort.ToString(CultureInfo.InvariantCulture),
            ["IMAPS_PORT"] = ImapsPort.ToString(CultureInfo.InvariantCulture),
            ["MAIL_TLS"] = "1",
            ["MAIL_USERS"] = string.Join(' ', new[] { "support", "client1", "client2" }.Concat(Enumerable.Range(1, PoolSize).Select(Pooled))),
        });
        StateDirectory = output.Split('\n').First(l => l.StartsWith("MAILTEST_DIR=", StringComparison.Ordinal))["MAILTEST_DIR=".Length..].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (StateDirectory.Length == 0)
            return;
        await Scripts.RunAsync("mailstack.sh", ["stop"], new() { ["MAILTEST_DIR"] = StateDirectory });
        try { Directory.Delete(StateDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A mailbox nobody else uses, from the pool created with the server. The prefix only names the
    /// purpose in the test's code.</summary>
    public string NewMailbox(string prefix)
    {
        _ = prefix;
        var n = Interlocked.Increment(ref mailboxCounter);
        if (n > PoolSize)
            throw new InvalidOperationException($"The test mail server has {PoolSize} spare mailboxes; raise MailServer.PoolSize.");
        return $"{Pooled(n)}@{Domain}";
    }

    private static string Pooled(int n) => "box" + n.ToString("D3", CultureInfo.InvariantCulture);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None, cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }

    public async Task<ImapClient> ConnectImapAsync(string user, CancellationToken cancellationToken = default)
    {
        var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None, cancellationToken);
        await imap.AuthenticateAsync(user, Password, cancellationToken);
        return imap;
    }

    /// <summary>The messages in a folder of a mailbox, oldest first.</summary>
    public async Task<List<MimeMessage>> ReadAsync(string user, string folder = "INBOX", CancellationToken cancellationToken = default)
    {
        using var imap = await ConnectImapAsync(user, cancellationToken);
        var mailFolder = folder == "INBOX" ? imap.Inbox : await imap.GetFolderAsync(folder, cancellationToken);
        await mailFolder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var result = new List<MimeMessage>();
        foreach (var uid in await mailFolder.SearchAsync(SearchQuery.All, cancellationToken))
            result.Add(await mailFolder.GetMessageAsync(uid, cancellationToken));
        await imap.DisconnectAsync(true, cancellationToken);
        return result;
    }

    /// <summary>Waits until a folder holds at least <paramref name="count"/> messages matching the filter. The limit is
    /// generous on purpose: it only keeps a broken run from hanging, no test measures speed with it.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(string user, int count, Func<MimeMessage, bool>? filter = null, string folder = "INBOX", TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            List<MimeMessage> found = [];
            try
            {
                found = [.. (await ReadAsync(user, folder, timeout.Token)).Where(filter ?? (_ => true))];
            }
            catch (FolderNotFoundException)
            {
            }
            if (found.Count >= count)
                return found;
            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{user}/{folder} holds {found.Count} matching message(s), expected {count}.");
            }
        }
    }

    /// <summary>How many messages a folder holds (0 when it does not exist yet).</summary>
    public async Task<int> CountAsync(string user, string folder = "INBOX", CancellationToken cancellationToken = default)
    {
        using var imap = await ConnectImapAsync(user, cancellationToken);
        try
        {
            var mailFolder = folder == "INBOX" ? imap.Inbox : await imap.GetFolderAsync(folder, cancellationToken);
            await mailFolder.StatusAsync(StatusItems.Count, cancellationToken);
            return mailFolder.Count;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
        finally
        {
            await imap.DisconnectAsync(true, cancellationToken);
        }
    }

    /// <summary>Waits until a folder exists in a mailbox (a worker creates it when it opens the mailbox).</summary>
    public async Task WaitForFolderAsync(string user, string folder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await ReadAsync(user, folder, timeout.Token);
                return;
            }
            catch (FolderNotFoundException)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
