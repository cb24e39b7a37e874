using System.Text.RegularExpressions;
using Reglament.Tests.Cli;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary><c>reglament ingest --dir</c> and <c>--dry-run</c>, run as the real executable.</summary>
public sealed partial class IngestDirectoryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("reglament-dir-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string DataDir => Path.Combine(root, "db");

    private bool migrated;

    private async Task<ReglamentProcess.Outcome> RunAsync(params string[] args)
    {
        if (!migrated)
        {
            await ReglamentProcess.MigrateAsync(DataDir);
            migrated = true;
        }
        var result = await ReglamentProcess.RunAsync([.. args, "--data-dir", DataDir]);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        return result;
    }

    private static int Count(string output, string outcome)
    {
        var match = Regex.Match(output, Regex.Escape(outcome) + @"[^\d\n]*?(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task DryRun_DecidesEverything_StoresNothing_ThenTheRealRunStores_AndARepeatSkipsAll()
    {
        var csv = Path.Combine(root, "subscribers.csv");
        await File.WriteAllTextAsync(csv, Requests.SubscribersCsv, TestContext.Current.CancellationToken);
        await RunAsync("subscribers", "import", csv);
        var mail = Path.Combine(root, "mail");
        Directory.CreateDirectory(mail);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Mail", "Corpus"), "*.eml"))
            File.Copy(file, Path.Combine(mail, Path.GetFileName(file)));
        var total = Directory.GetFiles(mail).Length;

        var dry = await RunAsync("ingest", "--dir", mail, "--dry-run");
        Assert.Contains("dry run", dry.Output, StringComparison.Ordinal);
        Assert.Equal(total, Count(dry.Output, "Total"));
        Assert.True(Count(dry.Output, "Ticket created") > 0, dry.Output);

        var real = await RunAsync("ingest", "--dir", mail);
        Assert.Equal(0, Count(real.Output, "Duplicate"));
        Assert.True(Count(real.Output, "Ticket created") > 0, real.Output);

        var again = await RunAsync("ingest", "--dir", mail);
        Assert.Equal(total, Count(again.Output, "Duplicate"));
    }

    [Fact]
    public async Task Maildir_NewAndCur_AreBothRead()
    {
        var maildir = Path.Combine(root, "Maildir");
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        Directory.CreateDirectory(Path.Combine(maildir, "cur"));
        Directory.CreateDirectory(Path.Combine(maildir, "tmp"));
        await File.WriteAllTextAsync(Path.Combine(maildir, "new", "1700000000.M1P1.host"), "From: a@unknown.test\r\nSubject: one\r\n\r\nx\r\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(maildir, "cur", "1700000001.M2P1.host:2,S"), "From: b@unknown.test\r\nSubject: two\r\n\r\nx\r\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(maildir, "tmp", "1700000002.M3P1.host"), "half-written", TestContext.Current.CancellationToken);

        var result = await RunAsync("ingest", "--dir", maildir);

        Assert.Equal(2, Count(result.Output, "Quarantined (UnknownSender)"));
        Assert.Equal(2, Count(result.Output, "Total"));
    }
}
