using System.Text.RegularExpressions;

namespace Reglament.Mail;

/// <summary>Separates what the subscriber wrote now from the quoted earlier messages and the signature, in the
/// shapes the common clients produce (Outlook, Thunderbird, Apple Mail, Gmail, Yandex, Mail.ru, phones), so the
/// rules judge only the new words. Deliberately conservative: when unsure it keeps the text, because a rule that
/// misses a word is better than one that reads an old quote as a new request (or the other way round, a refusal
/// for words the subscriber only quoted).</summary>
public static partial class QuotedText
{
    /// <summary>The new text, or null when nothing was cut (or everything would have been). With
    /// <paramref name="keepSignature"/> only the quoted history is cut: a signature is the subscriber's own (it often
    /// carries the client ID, R7).</summary>
    public static string? NewText(string body, bool isForward, bool keepSignature = false)
    {
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>();
        var cut = false;
        var attribution = new Attributions(lines);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (keepSignature && (line is "-- " or "--" || MobileSignature().IsMatch(trimmed)))
            {
                kept.Add(line);
                continue;
            }
            if (line is "-- " or "--" || MobileSignature().IsMatch(trimmed) || OriginalMessage().IsMatch(trimmed)
                || (!isForward && IsHeaderBlock(lines, i)) || attribution.IsAt(i))
            {
                cut = true;
                break;
            }
            if (trimmed.StartsWith('>'))
            {
                cut = true;
                continue;
            }
            kept.Add(line);
        }
        if (!cut)
            return null;
        var text = string.Join('\n', kept).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>"On …, Name &lt;a@b&gt; wrote:", "23.04.2024 10:00, Name пишет:", "… от Name &lt;a@b&gt;:" — possibly
    /// wrapped over two lines — when quoted lines or the end of the mail follow. Each line is matched once and the
    /// next line that is not an attribution is found once for the whole mail (from the end), so a mail of many
    /// attribution-like lines costs one pass, not one pass per line.</summary>
    private sealed class Attributions(string[] lines)
    {
        private bool?[]? matches;
        private int[]? nextOther;

        private bool Matches(int i)
        {
            matches ??= new bool?[lines.Length];
            return matches[i] ??= Attribution().IsMatch(lines[i].Trim());
        }

        public bool IsAt(int i)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('>'))
                return false;
            var joined = i + 1 < lines.Length ? line + " " + lines[i + 1].Trim() : line;
            var candidate = Matches(i) ? line : Attribution().IsMatch(joined) && !line.EndsWith(':') ? joined : null;
            if (candidate is null)
                return false;
            // "Сервер пишет:" before an error text is the subscriber's own words; a real attribution carries a date.
            if (WroteWord().IsMatch(candidate) && candidate.Any(char.IsDigit))
                return true;
            // Otherwise (Yandex, Mail.ru: "date, Name <a@b>:"), only when a quote follows.
            var next = NextOther(i + 1);
            return next < 0 || lines[next].Trim().StartsWith('>');
        }

        /// <summary>The first line at or after <paramref name="from"/> that is neither empty nor an attribution, or -1.</summary>
        private int NextOther(int from)
        {
            if (nextOther is null)
            {
                nextOther = new int[lines.Length + 1];
                nextOther[lines.Length] = -1;
                for (var j = lines.Length - 1; j >= 0; j--)
                    nextOther[j] = lines[j].Trim().Length > 0 && !Matches(j) ? j : nextOther[j + 1];
            }
            return nextOther[from];
        }
    }

    /// <summary>Outlook's quoted header: "From:/От:" followed within a few lines by "Sent:/Отправлено:/Date:" and
    /// "Subject:/Тема:".</summary>
    private static bool IsHeaderBlock(string[] lines, int i)
    {
        if (!FromHeader().IsMatch(lines[i].Trim()))
            return false;
        var window = lines.Skip(i + 1).Take(5).Select(l => l.Trim()).ToList();
        return window.Any(l => SentHeader().IsMatch(l)) && window.Any(l => SubjectHeader().IsMatch(l));
    }

    // Non-backtracking: a subscriber's line is matched in time linear in its length, whatever it holds (a 5 MB line
    // of «от » made the attribution pattern quadratic).
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    [GeneratedRegex(@"^-{2,}\s*(?:Original Message|Исходное сообщение|Reply message|Ответное сообщение)\s*-{2,}$", Options)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^(?:Sent from my \w+|Sent from (?:Yandex|Mail\.ru|Outlook|Gmail)\b.*|Get Outlook for \w+|Отправлено с (?:iPhone|iPad|моего \w+)|Отправлено из мобильной .*|Отправлено с мобильного .*|Sent from Mail for Windows)\.?$", Options)]
    private static partial Regex MobileSignature();

    [GeneratedRegex(@"(?:wrote|writes|пишет|писал|написал|написала|писала|пишут)(?:\s*\(а\))?\s*:$|<[^<>@\s]+@[^<>\s]+>\s*:$|\bот\s+.+:$", Options)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"wrote|writes|пишет|писал|написал", Options)]
    private static partial Regex WroteWord();

    [GeneratedRegex(@"^\*?(?:From|От|Від)\s*:\*?\s", Options)]
    private static partial Regex FromHeader();

    [GeneratedRegex(@"^\*?(?:Sent|Date|Отправлено|Дата)\s*:", Options)]
    private static partial Regex SentHeader();

    [GeneratedRegex(@"^\*?(?:Subject|Тема)\s*:", Options)]
    private static partial Regex SubjectHeader();
}
