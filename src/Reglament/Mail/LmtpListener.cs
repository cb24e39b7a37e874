using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Reglament.Mail;

/// <summary>Where <c>reglament serve</c> listens for Postfix's <c>lmtp</c> transport (section <c>Mail:Lmtp</c>).</summary>
public sealed class LmtpOptions
{
    public const string Section = "Mail:Lmtp";

    /// <summary><c>127.0.0.1:2424</c> (TCP; keep it on loopback or a private network: LMTP has no authentication) or
    /// <c>unix:/run/reglament/lmtp.sock</c>. Empty: no listener.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Connections served at once; Postfix opens up to <c>lmtp_destination_concurrency_limit</c>.</summary>
    public int MaxConnections { get; set; } = 16;

    /// <summary>A connection silent for this long is closed (RFC 5321 §4.5.3.2 suggests minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>An LMTP server (RFC 2033) inside <c>reglament serve</c>: Postfix delivers each message over a kept-open
/// connection to the running desk, so a message costs the intake itself and no process start, no runtime warm-up, no
/// model loading (the pipe's cost, issue 17). Each message goes through the same <see cref="MailIngestion"/> as
/// <c>reglament ingest</c> and the IMAP worker, and gets the pipe's answer in LMTP terms: kept (a ticket, a reply, a
/// duplicate or quarantine) → 250 for every recipient; storage unavailable or an unexpected failure → 451, so Postfix
/// keeps the message and retries. One message is one request however many recipients it has. Messages of concurrent
/// connections that wait at the same time are committed together (<see cref="MailIngestion.IngestEachAsync"/>): each
/// connection is answered after the commit that holds its message, and a message that fails is taken out of the group
/// and fails alone.</summary>
/// <remarks>Written here rather than taken from a library: the SMTP server libraries for .NET speak SMTP, not LMTP's
/// per-recipient replies after DATA, and the part of the protocol Postfix uses is six commands.</remarks>
public sealed class LmtpListener(IServiceScopeFactory scopes, IOptions<LmtpOptions> options, IOptions<MailOptions> mail, ILogger<LmtpListener> log) : BackgroundService
{
    private const int MaxCommandLine = 1000;
    private Socket? socket;
    private readonly TaskCompletionSource<EndPoint> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Messages read in full and waiting for their commit; one writer takes all that wait at once as a group.
    private readonly Channel<Delivery> waiting = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The address actually bound (a TCP port of 0 becomes the one the system chose), once listening.</summary>
    public Task<EndPoint> Bound => bound.Task;

    public static EndPoint Parse(string endpoint)
    {
        if (endpoint.StartsWith("unix:", StringComparison.Ordinal))
            return new UnixDomainSocketEndPoint(endpoint["unix:".Length..]);
        return IPEndPoint.TryParse(endpoint, out var ip) && endpoint.Contains(':', StringComparison.Ordinal)
            ? ip
            : throw new FormatException($"Mail:Lmtp:Endpoint '{endpoint}' is neither host:port nor unix:/path.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoint = Parse(options.Value.Endpoint);
        if (endpoint is UnixDomainSocketEndPoint && File.Exists(options.Value.Endpoint["unix:".Length..]))
            File.Delete(options.Value.Endpoint["unix:".Length..]); // a socket file left by a process that was killed
        socket = new Socket(endpoint.AddressFamily, SocketType.Stream, endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(options.Value.MaxConnections);
        }
        catch (Exception e)
        {
            bound.TrySetException(e);
            throw;
        }
        var local = socket.LocalEndPoint!;
        bound.TrySetResult(local);
        if (log.IsEnabled(LogLevel.Information))
            log.LogInformation("LMTP listening on {Endpoint}", local);
        using var slots = new SemaphoreSlim(options.Value.MaxConnections);
        var sessions = new List<Task>();
        var writer = Task.Run(() => CommitAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var client = await socket.AcceptAsync(stoppingToken);
                sessions.RemoveAll(t => t.IsCompleted);
                sessions.Add(Task.Run(async () =>
                {
                    try
                    {
                        await ServeAsync(client, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            socket.Dispose();
            // A message being read when the desk stops gets no 250: Postfix delivers it again later.
            await Task.WhenAll(sessions).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            waiting.Writer.TryComplete();
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The one writer: everything waiting when it comes round goes into one transaction. With one connection
    /// that is one message per commit as before; with several, the others' messages gather while a group is being
    /// judged and stored, so the commits (a disk flush each, and in SQLite one writer at a time anyway) are shared
    /// without any delay added to wait for company.</summary>
    private async Task CommitAsync(CancellationToken stoppingToken)
    {
        var group = new List<Delivery>();
        try
        {
            while (await waiting.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                while (group.Count < MailIngestion.BatchSize && waiting.Reader.TryRead(out var delivery))
                    group.Add(delivery);
                var attempts = await MailIngestion.IngestEachAsync(scopes, [.. group.Select(d => d.Raw)], stoppingToken);
                for (var i = 0; i < group.Count; i++)
                    group[i].Reply.TrySetResult(Reply(attempts[i]));
                group.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // The desk is stopping: what was not committed gets no 250, and the MTA delivers it again later. No
            // delivery is taken any more, so no session can wait for a writer that has gone.
            waiting.Writer.TryComplete();
            foreach (var delivery in group)
                delivery.Reply.TrySetCanceled(stoppingToken);
            while (waiting.Reader.TryRead(out var delivery))
                delivery.Reply.TrySetCanceled(stoppingToken);
        }
    }

    private string Reply(IntakeAttempt attempt)
    {
        if (attempt.Result is { } result)
        {
            var ticket = result.Ticket is { } number ? " " + number : "";
            return $"250 2.0.0 {result.Outcome}{ticket}";
        }
        // Nothing of it was committed: the message stays with the MTA, which retries (the pipe's exit 75).
        log.LogError(attempt.Failure, "LMTP: the message could not be kept; the MTA will retry");
        return "451 4.3.0 Temporary failure, try again later";
    }

    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var reader = new LineReader(stream);
        var host = mail.Value.MessageIdDomain;
        async Task Say(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), stoppingToken);
        try
        {
            await Say($"220 {host} Reglament LMTP ready");
            var greeted = false;
            string? sender = null;
            var recipients = 0;
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                idle.CancelAfter(options.Value.IdleTimeout);
                var line = await reader.ReadLineAsync(MaxCommandLine, idle.Token);
                if (line is null)
                    return;
                var text = Encoding.ASCII.GetString(line);
                var verb = (text.Length >= 4 ? text[..4] : text).ToUpperInvariant();
                switch (verb)
                {
                    case "LHLO":
                        greeted = true;
                        (sender, recipients) = (null, 0);
                        await Say($"250-{host}\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE {mail.Value.Limits.MaxMessageBytes.ToString(CultureInfo.InvariantCulture)}");
                        break;
                    case "MAIL" when !greeted:
                        await Say("503 5.5.1 LHLO first");
                        break;
                    case "MAIL":
                        (sender, recipients) = (text, 0);
                        await Say("250 2.1.0 OK");
                        break;
                    case "RCPT" when sender is null:
                        await Say("503 5.5.1 MAIL first");
                        break;
                    case "RCPT":
                        recipients++;
                        await Say("250 2.1.5 OK");
                        break;
                    case "DATA" when recipients == 0:
                        await Say("503 5.5.1 RCPT first");
                        break;
                    case "DATA":
                        await Say("354 2.0.0 End data with <CR><LF>.<CR><LF>");
                        var raw = await ReadDataAsync(reader, stoppingToken);
                        var reply = raw is null
                            ? "552 5.3.4 Message larger than the desk's limit, not kept"
                            : await IngestAsync(raw, stoppingToken);
                        // LMTP: one reply per accepted recipient (RFC 2033 §4.2); the message is one request for all.
                        for (var i = 0; i < recipients; i++)
                            await Say(reply);
                        (sender, recipients) = (null, 0);
                        break;
                    case "RSET":
                        (sender, recipients) = (null, 0);
                        await Say("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await Say("250 2.0.0 OK");
                        break;
                    case "VRFY":
                        await Say("252 2.5.2 Cannot verify, will accept");
                        break;
                    case "QUIT":
                        await Say($"221 2.0.0 {host} closing");
                        return;
                    default:
                        await Say("500 5.5.1 Command not recognised");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or LineTooLongException)
        {
            // The client went away, was idle too long, or the desk is stopping: whatever was not answered with 250 is
            // still the MTA's, and it retries.
            log.LogDebug(e, "LMTP session ended");
        }
    }

    /// <summary>The message up to the lone dot, dot-stuffing undone; null when it outgrows the limit (the rest is read and
    /// dropped so the session stays in step). Bounded: at most the limit plus one line in memory.</summary>
    private async Task<byte[]?> ReadDataAsync(LineReader reader, CancellationToken cancellationToken)
    {
        var limit = mail.Value.Limits.MaxMessageBytes;
        using var message = new MemoryStream();
        var tooLarge = false;
        while (true)
        {
            var line = await reader.ReadLineAsync(limit, cancellationToken) ?? throw new IOException("The connection closed inside DATA.");
            if (line.Length == 1 && line[0] == (byte)'.')
                return tooLarge ? null : message.ToArray();
            if (tooLarge)
                continue;
            var start = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
            if (message.Length + line.Length + 2 > limit)
            {
                tooLarge = true;
                message.SetLength(0);
                continue;
            }
            message.Write(line, start, line.Length - start);
            message.Write("\r\n"u8);
        }
    }

    /// <summary>Hands the message to the writer and waits for the reply its commit gives.</summary>
    private async Task<string> IngestAsync(byte[] raw, CancellationToken cancellationToken)
    {
        var delivery = new Delivery(raw, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!waiting.Writer.TryWrite(delivery))
            throw new OperationCanceledException("The desk is stopping.");
        return await delivery.Reply.Task.WaitAsync(cancellationToken);
    }

    private sealed record Delivery(byte[] Raw, TaskCompletionSource<string> Reply);

    public override void Dispose()
    {
        socket?.Dispose();
        base.Dispose();
    }

    private sealed class LineTooLongException() : IOException("An LMTP command line is too long.");

    /// <summary>CRLF- (or LF-) terminated lines as raw bytes, so 8-bit message text passes unchanged.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[16 * 1024];
        private int start;
        private int end;

        public async Task<byte[]?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
        {
            using var line = new MemoryStream();
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline >= 0)
                {
                    line.Write(buffer, start, newline - start);
                    start = newline + 1;
                    // The CR may have come in the previous read.
                    if (line.Length > 0 && line.GetBuffer()[line.Length - 1] == (byte)'\r')
                        line.SetLength(line.Length - 1);
                    return line.ToArray();
                }
                line.Write(buffer, start, end - start);
                if (line.Length > maxLength)
                    throw new LineTooLongException();
                start = 0;
                end = await stream.ReadAsync(buffer, cancellationToken);
                if (end == 0)
                    return null;
            }
        }
    }
}
