using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Reglament.Tests.Mail;

/// <summary><c>reglament serve</c> as a real process, configured only through REGLAMENT_ environment variables, with
/// its output collected for the failure message of the test that started it.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    public const string ApiKey = "e2e-key";

    private readonly StringBuilder log = new();
    private readonly Process process;

    private ServeProcess(Process process, HttpClient api)
    {
        this.process = process;
        Api = api;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Api { get; }

    public bool HasExited => process.HasExited;

    public static async Task<ServeProcess> StartAsync(string dataDir, Dictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "reglament.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir })
            start.ArgumentList.Add(a);
        foreach (var (key, value) in settings)
            start.Environment["REGLAMENT_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["REGLAMENT_Api__Keys__0"] = ApiKey;
        var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var serve = new ServeProcess(Process.Start(start)!, api);
        await serve.UntilAsync(async () =>
        {
            try { return (await api.GetAsync("/healthz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "serve to answer /healthz");
        return serve;
    }

    /// <summary>The IMAP and SMTP settings for a mailbox of the test mail server.</summary>
    public static Dictionary<string, string> MailSettings(MailServer server, string support, bool smtp = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["Mail:SupportAddress"] = support,
            ["Mail:Imap:Mailboxes:0:Host"] = "127.0.0.1",
            ["Mail:Imap:Mailboxes:0:Port"] = server.ImapPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Imap:Mailboxes:0:Security"] = "None",
            ["Mail:Imap:Mailboxes:0:UserName"] = support,
            ["Mail:Imap:Mailboxes:0:Password"] = MailServer.Password,
        };
        if (smtp)
        {
            settings["Mail:Smtp:Host"] = "127.0.0.1";
            settings["Mail:Smtp:Port"] = server.SmtpPort.ToString(CultureInfo.InvariantCulture);
            settings["Mail:Smtp:Security"] = "None";
            settings["Mail:Smtp:PollInterval"] = "00:00:00.200";
        }
        return settings;
    }

    /// <summary>SIGKILL: no shutdown, no flush — what a power cut or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Polls until the probe returns a value; the limit only keeps a broken run from hanging.</summary>
    public async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, int seconds = 90)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!timeout.IsCancellationRequested)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"reglament serve exited with {process.ExitCode}:\n{Log()}");
            if (await probe() is { } value && (value is not bool b || b))
                return value;
            await Task.Delay(200, CancellationToken.None);
        }
        throw new TimeoutException($"Waited in vain for {what}.\nreglament serve said:\n{Log()}");
    }

    public string Log()
    {
        lock (log)
            return log.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await KillAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
