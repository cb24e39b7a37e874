using System.Security.Cryptography;
using System.Text;
using Reglament.Intake;

namespace Reglament.Mail;

/// <summary>A folder of mail for bulk ingestion: <c>*.eml</c> files, or a Maildir (<c>new/</c> and <c>cur/</c>).</summary>
public static class MailDirectory
{
    private static readonly string[] MaildirFolders = ["new", "cur"];

    public static IReadOnlyList<string> Files(string directory)
    {
        var maildir = Directory.Exists(Path.Combine(directory, "cur")) || Directory.Exists(Path.Combine(directory, "new"));
        var files = maildir
            ? MaildirFolders.Select(d => Path.Combine(directory, d)).Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d))
            : Directory.EnumerateFiles(directory, "*.eml");
        return [.. files.Order(StringComparer.Ordinal)];
    }

    /// <summary>Where a file came from, recorded like an IMAP position, so running the same folder again skips the
    /// files already taken — also those without a Message-ID. A Maildir file keeps its name when a client moves it
    /// from new/ to cur/ and adds flags after ":2,", so only the unique part counts.</summary>
    public static MailboxPosition Position(string directory, string file)
    {
        var name = Path.GetFileName(file);
        var colon = name.IndexOf(":2,", StringComparison.Ordinal);
        if (colon > 0)
            name = name[..colon];
        var key = $"dir:{Path.GetFullPath(directory)}/{name}";
        if (key.Length > 400)
            key = "dir:sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return new MailboxPosition(key, 0, 0);
    }
}
