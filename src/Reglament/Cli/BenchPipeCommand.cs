using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
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
        var lmtp = new Option<bool>("--lmtp") { Description = "Deliver over LMTP to running `reglament serve` nodes instead (Mail:Lmtp; N connections at once, as Postfix's lmtp transport with that concurrency; one node unless --nodes)" };
        var warmUp = new Option<int>("--warm-up") { Description = "With --lmtp: messages delivered over the same connections before the measured window, so that it shows a long-running serve whose code is compiled", DefaultValueFactory = _ => 0 };
        var nodes = new Option<int>("--nodes") { Description = "With --lmtp: `reglament serve` nodes on one PostgreSQL (--postgres); the connections are spread over them round-robin", DefaultValueFactory = _ => 1 };
        var postgres = new Option<string?>("--postgres") { Description = "With --lmtp: a PostgreSQL server's connection string (e.g. from scripts/pgstack.sh); each run creates its own database there and drops it afterwards. Without it: SQLite, one node" };
        var command = new Command("pipe", "Feed N generated messages to `reglament ingest`, one process per message, 1 and 4 at once; prints CPU-seconds per message") { count, parallel, lmtp, warmUp, nodes, postgres };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(count);
            var server = parseResult.GetValue(postgres);
            // SQLite is for one node (README, «Several nodes»); the pipe mode's ingest processes read only a data directory.
            // (Checked here, not in a validator: a validator does not see the options' default values.)
            var usage = parseResult.GetValue(nodes) < 1 ? "--nodes must be at least 1"
                : parseResult.GetValue(nodes) > 1 && server is null ? "--nodes above 1 needs --postgres: several nodes share one PostgreSQL"
                : server is not null && !parseResult.GetValue(lmtp) ? "--postgres is for --lmtp"
                : null;
            if (usage is not null)
            {
                await Console.Error.WriteLineAsync(usage);
                return ExitCodes.Usage;
            }
            var warm = parseResult.GetValue(lmtp) ? Math.Max(0, parseResult.GetValue(warmUp)) : 0;
            // The warm-up's messages are others than the measured ones, so none of those is a duplicate.
            var all = BenchMail.Generate(warm + n).ToList();
            var messages = all.Skip(warm).ToList();
            var warmUpMessages = all.Take(warm).ToList();
            var failed = 0;
            foreach (var degree in parseResult.GetValue(parallel)!)
            {
                var work = Directory.CreateTempSubdirectory("reglament-bench-pipe-").FullName;
                // A fresh database for every run, as the SQLite runs get a fresh data directory.
                var database = server is null ? null : await CreateDatabaseAsync(server, cancellationToken);
                try
                {
                    await PrepareAsync(work, clock, cancellationToken, database);
                    if (parseResult.GetValue(lmtp))
                    {
                        failed += await LmtpRunAsync(warmUpMessages, messages, degree, parseResult.GetValue(nodes), work, database, clock, cancellationToken);
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
                    if (server is not null && database is not null)
                        await DropDatabaseAsync(server, database);
                }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>A desk as an operator has it before mail arrives: migrated (by <c>migrate</c> or <c>serve</c>), the
    /// bench subscribers, the sample knowledge base.</summary>
    internal static async Task PrepareAsync(string dataDirectory, IClock clock, CancellationToken cancellationToken, string? postgres = null)
    {
        await using var services = Services(dataDirectory, postgres, clock);
        await Storage.PrepareAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);
        var kb = KnowledgeBaseFiles.Read(Path.Combine(DemoSeeder.DemoDirectory, "kb"));
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(kb.Articles, "bench", cancellationToken);
    }

    /// <summary>The desk's services on the bench's storage: the data directory's SQLite, or PostgreSQL when
    /// <paramref name="postgres"/> is given.</summary>
    private static ServiceProvider Services(string dataDirectory, string? postgres, IClock clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory, ["ConnectionStrings:Postgres"] = postgres }).Build();
        return new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
    }

    /// <summary>Creates an empty database on <paramref name="server"/>; returns the connection string to it.</summary>
    private static async Task<string> CreateDatabaseAsync(string server, CancellationToken cancellationToken)
    {
        var name = $"reglament_bench_{Guid.NewGuid():N}";
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the run's database, even when the run failed or was cancelled (FORCE ends sessions left open).</summary>
    private static async Task DropDatabaseAsync(string server, string database)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database;
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync(CancellationToken.None);
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Where the delivered mail ended: inbound messages (each a new ticket or a reply in one), quarantined
    /// items (the bench's unknown senders and loops, kept for an engineer by design), and how many distinct Message-IDs
    /// those hold — every bench message has its own, so a message stored twice or lost shows as a difference.</summary>
    private static async Task<(int Inbound, int Quarantined, int Distinct)> StoredAsync(string dataDirectory, string? postgres, IClock clock, CancellationToken cancellationToken)
    {
        await using var services = Services(dataDirectory, postgres, clock);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var inbound = await db.Messages.Where(m => m.Direction == Tickets.MessageDirection.Inbound).Select(m => m.InternetMessageId).ToListAsync(cancellationToken);
        var quarantined = await db.Quarantine.Select(q => q.InternetMessageId).ToListAsync(cancellationToken);
        return (inbound.Count, quarantined.Count, inbound.Concat(quarantined).Distinct().Count());
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

    /// <summary><paramref name="nodeCount"/> <c>reglament serve</c> processes, each with an LMTP socket (one data
    /// directory each; several share the PostgreSQL <paramref name="postgres"/>); once all greet, the messages are
    /// delivered over <paramref name="degree"/> connections at once, the connections spread over the nodes
    /// round-robin. Their CPU time is summed from the first delivery to the last, so the start (migration check,
    /// models, index) is left out as Postfix's long-running server would amortise it. The <paramref name="warmUp"/>
    /// messages go first over the same connections, outside the window: the JIT and EF Core's first compilation of
    /// each query are a cost of the first few hundred messages after a start. Afterwards the stored inbound messages
    /// must be exactly the accepted deliveries; any difference counts as failed.</summary>
    private static async Task<int> LmtpRunAsync(List<byte[]> warmUp, List<byte[]> messages, int degree, int nodeCount, string work, string? postgres, IClock clock, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath!;
        var nodes = new List<(Process Serve, string Socket, Task<string> Errors)>();
        try
        {
            for (var i = 0; i < nodeCount; i++)
            {
                var dataDirectory = Directory.CreateDirectory(Path.Combine(work, $"node{i}")).FullName;
                var socketPath = Path.Combine(dataDirectory, "lmtp.sock");
                var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                    start.ArgumentList.Add(typeof(BenchPipeCommand).Assembly.Location);
                // One node keeps the prepared data directory's SQLite; with PostgreSQL the data directory holds only
                // the node's own files (the judgement models, the index).
                foreach (var a in new[] { "serve", "--data-dir", postgres is null ? work : dataDirectory, "--urls=http://127.0.0.1:0", $"--Mail:Lmtp:Endpoint=unix:{socketPath}", "--Policy:Authentication:Disabled=true" })
                    start.ArgumentList.Add(a);
                if (postgres is not null)
                    start.ArgumentList.Add($"--ConnectionStrings:Postgres={postgres}");
                var serve = Process.Start(start)!;
                _ = serve.StandardOutput.ReadToEndAsync(cancellationToken);
                nodes.Add((serve, socketPath, serve.StandardError.ReadToEndAsync(cancellationToken)));
            }
            // Ready when each greets: a connection refused or a missing socket file means not yet.
            var ready = Stopwatch.StartNew();
            foreach (var node in nodes)
            {
                while (true)
                {
                    try
                    {
                        await using var probe = await LmtpClient.ConnectAsync(node.Socket, cancellationToken);
                        break;
                    }
                    catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException && ready.Elapsed < TimeSpan.FromMinutes(3) && !node.Serve.HasExited)
                    {
                        await Task.Delay(200, cancellationToken);
                    }
                }
            }
            var replies = new Dictionary<string, int>();
            var clients = new List<LmtpClient>();
            for (var i = 0; i < degree; i++)
                clients.Add(await LmtpClient.ConnectAsync(nodes[i % nodes.Count].Socket, cancellationToken));
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
            double NodesCpuSeconds() => nodes.Sum(node => ProcessCpuSeconds(node.Serve.Id));
            double wall, cpu;
            try
            {
                await DeliverAllAsync(warmUp);
                var cpuBefore = NodesCpuSeconds();
                var watch = Stopwatch.StartNew();
                await DeliverAllAsync(messages);
                wall = watch.Elapsed.TotalSeconds;
                cpu = NodesCpuSeconds() - cpuBefore;
            }
            finally
            {
                foreach (var client in clients)
                    await client.DisposeAsync();
            }
            var n = messages.Count;
            // A 250 is given after the commit, so every accepted message is stored by now.
            var accepted = replies.GetValueOrDefault("250");
            var (inbound, quarantined, distinct) = await StoredAsync(work, postgres, clock, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n} messages over LMTP{(warmUp.Count > 0 ? $" after {warmUp.Count} to warm up" : "")}, {degree} connections to {nodeCount} node{(nodeCount > 1 ? "s" : "")}: {cpu / n:F4} CPU-s per message, {n / wall:F1} msg/s ({wall:F1} s wall, {cpu:F2} CPU-s of serve); replies {string.Join(", ", replies.OrderBy(r => r.Key).Select(r => $"{r.Key}×{r.Value}"))}; of {accepted} accepted, {inbound} stored in tickets and {quarantined} quarantined"));
            var wrong = Math.Abs(inbound + quarantined - accepted) + (inbound + quarantined - distinct);
            if (wrong != 0)
                await Console.Error.WriteLineAsync($"{accepted} deliveries accepted, {inbound + quarantined} stored, {distinct} distinct: not exactly one stored message per delivery");
            return replies.Where(r => r.Key != "250").Sum(r => r.Value) + wrong;
        }
        finally
        {
            foreach (var (serve, _, errors) in nodes)
            {
                if (!serve.HasExited)
                {
                    serve.Kill(entireProcessTree: true);
                    await serve.WaitForExitAsync(CancellationToken.None);
                }
                if (serve.ExitCode is not (0 or 137) && !string.IsNullOrWhiteSpace(await errors))
                    await Console.Error.WriteLineAsync(await errors);
                serve.Dispose();
            }
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
