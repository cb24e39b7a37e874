using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Knowledge;
using Reglament.Mail;
using Reglament.Subscribers;

namespace Reglament.Cli;

/// <summary><c>reglament bench pipe</c>: the Postfix pipe's cost — N generated messages, each handed to its own
/// <c>reglament ingest</c> process on standard input (as the MTA does), one at a time and several in parallel, into a
/// fresh migrated SQLite database with the sample knowledge base. Reports CPU-seconds per message (what limits a
/// 2-core host under a mail burst) and messages per second. Figures in docs/performance.md.</summary>
public static class BenchPipeCommand
{
    public static Command Create(IClock clock)
    {
        var count = new Option<int>("--count") { Description = "Messages per run", DefaultValueFactory = _ => 100 };
        var parallel = new Option<int[]>("--parallel") { Description = "Deliveries at once, one run per value", DefaultValueFactory = _ => [1, 4], AllowMultipleArgumentsPerToken = true };
        var lmtp = new Option<bool>("--lmtp") { Description = "Deliver over LMTP to one running `reglament serve` instead (Mail:Lmtp; N connections at once, as Postfix's lmtp transport with that concurrency)" };
        var warmUp = new Option<int>("--warm-up") { Description = "With --lmtp: messages delivered over the same connections before the measured window, so that it shows a long-running serve whose code is compiled", DefaultValueFactory = _ => 0 };
        var command = new Command("pipe", "Feed N generated messages to `reglament ingest`, one process per message, 1 and 4 at once; prints CPU-seconds per message") { count, parallel, lmtp, warmUp };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(count);
            var warm = parseResult.GetValue(lmtp) ? Math.Max(0, parseResult.GetValue(warmUp)) : 0;
            // The warm-up's messages are others than the measured ones, so none of those is a duplicate.
            var all = BenchMail.Generate(warm + n).ToList();
            var messages = all.Skip(warm).ToList();
            var warmUpMessages = all.Take(warm).ToList();
            var failed = 0;
            foreach (var degree in parseResult.GetValue(parallel)!)
            {
                var work = Directory.CreateTempSubdirectory("reglament-bench-pipe-").FullName;
                try
                {
                    await PrepareAsync(work, clock, cancellationToken);
                    if (parseResult.GetValue(lmtp))
                    {
                        failed += await LmtpRunAsync(warmUpMessages, messages, degree, work, cancellationToken);
                        continue;
                    }
                    var codes = new Dictionary<int, int>();
                    var cpuBefore = ChildrenCpuSeconds();
                    var watch = Stopwatch.StartNew();
                    await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken }, async (raw, token) =>
                    {
                        var code = await IngestAsync(raw, work, token);
                        lock (codes)
                            codes[code] = codes.GetValueOrDefault(code) + 1;
                    });
                    var wall = watch.Elapsed.TotalSeconds;
                    var cpu = ChildrenCpuSeconds() - cpuBefore;
                    failed += codes.Where(c => c.Key != ExitCodes.Ok).Sum(c => c.Value);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{n} messages, {degree} at once: {cpu / n:F3} CPU-s per message, {n / wall:F1} msg/s ({wall:F1} s wall, {cpu:F1} CPU-s); exit codes {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}"));
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(work, recursive: true);
                }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>A desk as an operator has it before mail arrives: migrated (by <c>migrate</c> or <c>serve</c>), the
    /// bench subscribers, the sample knowledge base.</summary>
    internal static async Task PrepareAsync(string dataDirectory, IClock clock, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory }).Build();
        await using var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
        await Storage.PrepareAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);
        var kb = KnowledgeBaseFiles.Read(Path.Combine(DemoSeeder.DemoDirectory, "kb"));
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(kb.Articles, "bench", cancellationToken);
    }

    private static async Task<int> IngestAsync(byte[] raw, string dataDirectory, CancellationToken cancellationToken)
    {
        // The same executable as this one: the apphost when run as `reglament`, else `dotnet reglament.dll`.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(BenchPipeCommand).Assembly.Location);
        foreach (var a in new[] { "ingest", "--data-dir", dataDirectory })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.BaseStream.WriteAsync(raw, cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        await output;
        if (process.ExitCode != ExitCodes.Ok)
            await Console.Error.WriteLineAsync($"ingest exited {process.ExitCode}: {await error}");
        return process.ExitCode;
    }

    /// <summary>One <c>reglament serve</c> with an LMTP socket; once it greets, the messages are delivered over
    /// <paramref name="degree"/> connections at once. Its CPU time is counted from the first delivery to the last, so
    /// the start (migration check, models, index) is left out as Postfix's long-running server would amortise it. The
    /// <paramref name="warmUp"/> messages go first over the same connections, outside the window: the JIT and EF Core's
    /// first compilation of each query are a cost of the first few hundred messages after a start.</summary>
    private static async Task<int> LmtpRunAsync(List<byte[]> warmUp, List<byte[]> messages, int degree, string work, CancellationToken cancellationToken)
    {
        var socketPath = Path.Combine(work, "lmtp.sock");
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(BenchPipeCommand).Assembly.Location);
        foreach (var a in new[] { "serve", "--data-dir", work, "--urls=http://127.0.0.1:0", $"--Mail:Lmtp:Endpoint=unix:{socketPath}", "--Policy:Authentication:Disabled=true" })
            start.ArgumentList.Add(a);
        using var serve = Process.Start(start)!;
        _ = serve.StandardOutput.ReadToEndAsync(cancellationToken);
        var serveErrors = serve.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            // Ready when it greets: a connection refused or a missing socket file means not yet.
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    await using var probe = await LmtpClient.ConnectAsync(socketPath, cancellationToken);
                    break;
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException && ready.Elapsed < TimeSpan.FromMinutes(3) && !serve.HasExited)
                {
                    await Task.Delay(200, cancellationToken);
                }
            }
            var replies = new Dictionary<string, int>();
            var clients = new List<LmtpClient>();
            for (var i = 0; i < degree; i++)
                clients.Add(await LmtpClient.ConnectAsync(socketPath, cancellationToken));
            async Task DeliverAllAsync(List<byte[]> batch) => await Task.WhenAll(clients.Select(async (client, i) =>
            {
                foreach (var raw in batch.Where((_, j) => j % degree == i))
                {
                    var reply = await client.DeliverAsync(raw, cancellationToken);
                    var code = reply.Length >= 3 ? reply[..3] : reply;
                    lock (replies)
                        replies[code] = replies.GetValueOrDefault(code) + 1;
                }
            }));
            double wall, cpu;
            try
            {
                await DeliverAllAsync(warmUp);
                var cpuBefore = ProcessCpuSeconds(serve.Id);
                var watch = Stopwatch.StartNew();
                await DeliverAllAsync(messages);
                wall = watch.Elapsed.TotalSeconds;
                cpu = ProcessCpuSeconds(serve.Id) - cpuBefore;
            }
            finally
            {
                foreach (var client in clients)
                    await client.DisposeAsync();
            }
            var n = messages.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n} messages over LMTP{(warmUp.Count > 0 ? $" after {warmUp.Count} to warm up" : "")}, {degree} connections: {cpu / n:F4} CPU-s per message, {n / wall:F1} msg/s ({wall:F1} s wall, {cpu:F2} CPU-s of serve); replies {string.Join(", ", replies.OrderBy(r => r.Key).Select(r => $"{r.Key}×{r.Value}"))}"));
            return replies.Where(r => r.Key != "250").Sum(r => r.Value);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync(CancellationToken.None);
            }
            if (serve.ExitCode is not (0 or 137) && !string.IsNullOrWhiteSpace(await serveErrors))
                await Console.Error.WriteLineAsync(await serveErrors);
        }
    }

    /// <summary>User + system CPU time of one process so far (Linux: /proc/PID/stat utime and stime, 1/100 s ticks).</summary>
    private static double ProcessCpuSeconds(int pid) => StatSeconds($"/proc/{pid}/stat", 11);

    /// <summary>Just enough of an LMTP client for the benchmark: one message per transaction, the first reply read.</summary>
    private sealed class LmtpClient : IAsyncDisposable
    {
        private readonly System.Net.Sockets.Socket socket;
        private readonly System.Net.Sockets.NetworkStream stream;
        private readonly StreamReader reader;

        private LmtpClient(System.Net.Sockets.Socket socket)
        {
            this.socket = socket;
            stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        }

        public static async Task<LmtpClient> ConnectAsync(string path, CancellationToken cancellationToken)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(path), cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            var client = new LmtpClient(socket);
            if (await client.reader.ReadLineAsync(cancellationToken) is not { } greeting || !greeting.StartsWith("220", StringComparison.Ordinal))
                throw new IOException("no LMTP greeting");
            await client.SendAsync("LHLO bench\r\n", cancellationToken);
            while (await client.reader.ReadLineAsync(cancellationToken) is { } line && line.StartsWith("250-", StringComparison.Ordinal))
            {
            }
            return client;
        }

        public async Task<string> DeliverAsync(byte[] raw, CancellationToken cancellationToken)
        {
            await SendAsync("MAIL FROM:<bench@example.org>\r\nRCPT TO:<support@example.ru>\r\nDATA\r\n", cancellationToken);
            for (var i = 0; i < 3; i++)
                await reader.ReadLineAsync(cancellationToken);
            // Dot-stuffing: a line that starts with a dot gets another.
            var text = System.Text.Encoding.Latin1.GetString(raw).ReplaceLineEndings("\r\n").Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
            if (text.StartsWith('.'))
                text = "." + text;
            if (!text.EndsWith("\r\n", StringComparison.Ordinal))
                text += "\r\n";
            await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes(text + ".\r\n"), cancellationToken);
            return await reader.ReadLineAsync(cancellationToken) ?? "";
        }

        private async Task SendAsync(string text, CancellationToken cancellationToken) =>
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await SendAsync("QUIT\r\n", CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            reader.Dispose();
            await stream.DisposeAsync();
            socket.Dispose();
        }
    }

    /// <summary>User + system CPU time of the child processes waited for (Linux: /proc/self/stat cutime and cstime,
    /// in clock ticks of 1/100 s) — every <c>ingest</c> process, none of this one's own work.</summary>
    private static double ChildrenCpuSeconds() => StatSeconds("/proc/self/stat", 13);

    /// <summary>Two adjacent tick counters of a proc(5) stat file, in seconds: fields 14–15 (utime, stime) at
    /// <paramref name="first"/> 11, 16–17 (cutime, cstime) at 13 — the array starts at field 3, after the command name.</summary>
    private static double StatSeconds(string path, int first)
    {
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[first + 1], CultureInfo.InvariantCulture)) / 100.0;
    }
}
