using System.Text.RegularExpressions;

namespace Reglament.Mail;

/// <summary>The one function that decides a message's new text: what the subscriber wrote now, without the quoted
/// earlier messages, the "-- " signature and the phone's footer, in the shapes the common clients produce (Outlook desktop,
/// OWA and iOS, Gmail, Apple Mail, Thunderbird, Yandex, Mail.ru, The Bat!, Android mail apps, mutt). Answers written
/// between quoted blocks are kept. Intake stores it (<c>Message.NewText</c>), the ticket page shows it, the rules and
/// the knowledge base read it. Deliberately conservative: when unsure it keeps the text, because a rule that misses a
/// word is better than one that reads an old quote as a new request (or the other way round, a refusal for words the
/// subscriber only quoted). A closing «С уважением, Иван Петров, ООО «Ромашка», тел. …» without "-- " is kept: it is
/// written by the subscriber in this message, R7 finds the client ID there, and cutting it moved the learned rules
/// (trained through this function) on the development corpus. HTML mail is read as text with its blockquotes marked as <c>&gt;</c> lines
/// (<see cref="Intake.HtmlText.ToPlainTexts(string, CancellationToken)"/>), so both kinds go through the same rules.</summary>
public static partial class QuotedText
{
    /// <summary>The new text, or null when nothing was cut (or everything would have been). With
    /// <paramref name="keepSignature"/> only the quoted history (and a phone's footer) is cut: a signature is the
    /// subscriber's own, and it often carries the client ID (R7 reads it there).</summary>
    public static string? NewText(string body, bool isForward, bool keepSignature = false, CancellationToken cancellationToken = default)
    {
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>();
        var cut = false;
        var attribution = new Attributions(lines);
        for (var i = 0; i < lines.Length; i++)
        {
            // Intake's per-message budget (IntakeBudget): one look per line, a line being the unit of work here.
            cancellationToken.ThrowIfCancellationRequested();
            var line = lines[i];
            var trimmed = line.Trim();
            if (IsQuoted(trimmed))
            {
                cut = true;
                continue;
            }
            if (MobileSignature().IsMatch(trimmed))
            {
                // A phone's footer ends what was written on the phone; in a signature's company it is no part of it.
                cut = true;
                if (keepSignature)
                    continue;
                break;
            }
            if (trimmed == "--")
            {
                if (keepSignature)
                {
                    kept.Add(line);
                    continue;
                }
                cut = true;
                break;
            }
            if (OriginalMessage().IsMatch(trimmed) || (!isForward && IsHeaderBlock(lines, i)))
            {
                cut = true;
                // A block opened by a titled line of dashes and closed by a bare one («-------- Forwarded Message
                // --------» … «--------», as Thunderbird and alert forwarders write it): what follows the closing line
                // is the subscriber's own again (the login under a forwarded alert).
                if (TakeTitledOpener(lines[i], kept) && ClosingDashes(lines, i) is { } closing)
                {
                    i = closing;
                    continue;
                }
                break;
            }
            if (attribution.At(i) is { } found)
            {
                cut = true;
                // The attribution of a quote that answers follow (interleaved, or below the quote): only it goes.
                if (found.QuoteFollows)
                {
                    i += found.Lines - 1;
                    continue;
                }
                break;
            }
            kept.Add(line);
        }
        if (!cut)
            return null;
        while (kept.Count > 0 && (kept[^1].Trim().Length == 0 || Separator().IsMatch(kept[^1].Trim())))
            kept.RemoveAt(kept.Count - 1);
        var text = string.Join('\n', WithoutBlankRuns(kept)).Trim();
        return text.Length == 0 || text == body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() ? null : text;
    }

    /// <summary>Whether the block that starts at <paramref name="line"/> is opened by a titled line of dashes: the
    /// line itself, or the last line kept before it — which is then taken back out of <paramref name="kept"/>, since
    /// it belongs to the block.</summary>
    private static bool TakeTitledOpener(string line, List<string> kept)
    {
        if (TitledDashes().IsMatch(line.Trim()))
            return true;
        var last = kept.FindLastIndex(l => l.Trim().Length > 0);
        if (last < 0 || !TitledDashes().IsMatch(kept[last].Trim()))
            return false;
        kept.RemoveRange(last, kept.Count - last);
        return true;
    }

    /// <summary>The bare line of dashes after <paramref name="i"/> that closes a titled block, or null when the block
    /// runs to the end.</summary>
    private static int? ClosingDashes(string[] lines, int i)
    {
        for (var j = i + 1; j < lines.Length; j++)
        {
            var line = lines[j].Trim();
            if (line.Length >= 4 && line.All(c => c == '-'))
                return j;
        }
        return null;
    }

    [GeneratedRegex(@"^-{2,}\s*\p{L}[\p{L}\s]*-{2,}$", RegexOptions.NonBacktracking)]
    private static partial Regex TitledDashes();

    /// <summary>A quoted line: "&gt; …", or The Bat!'s initials before the mark ("ИП&gt; …").</summary>
    private static bool IsQuoted(string trimmed) =>
        trimmed.StartsWith('>') || (trimmed.Length > 2 && char.IsUpper(trimmed[0]) && InitialsQuote().IsMatch(trimmed));

    /// <summary>Runs of blank lines (left where quotes were cut) become one blank line.</summary>
    private static IEnumerable<string> WithoutBlankRuns(List<string> lines)
    {
        var blank = false;
        foreach (var line in lines)
        {
            var isBlank = line.Trim().Length == 0;
            if (isBlank && blank)
                continue;
            blank = isBlank;
            yield return isBlank ? "" : line.TrimEnd();
        }
    }

    /// <summary>An attribution found at a line: how many lines it takes (a long one is wrapped over two) and whether
    /// quoted lines follow it (then only it is cut, and the subscriber's answers after the quote are kept).</summary>
    private readonly record struct Attribution(int Lines, bool QuoteFollows);

    /// <summary>"On …, Name &lt;a@b&gt; wrote:", "23.04.2024 10:00, Name пишет:", "… от Name &lt;a@b&gt;:", "* Name
    /// &lt;a@b&gt; [2026-12-07 10:15]:", "Вы писали 7 декабря 2026 г., 10:15:" — possibly wrapped over two lines —
    /// when quoted lines or the end of the mail follow. Each line is matched once and the next line that is not an
    /// attribution is found once for the whole mail (from the end), so a mail of many attribution-like lines costs one
    /// pass, not one pass per line.</summary>
    private sealed class Attributions(string[] lines)
    {
        private bool?[]? matches;
        private int[]? nextOther;

        private bool Matches(int i)
        {
            matches ??= new bool?[lines.Length];
            return matches[i] ??= IsAttributionLine(lines[i].Trim());
        }

        public Attribution? At(int i)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('>'))
                return null;
            var joined = i + 1 < lines.Length ? line + " " + lines[i + 1].Trim() : line;
            // Wrapped: the first half carries the date, and the second is not a dated attribution by itself.
            var wrapped = !Matches(i) && !line.EndsWith(':') && i + 1 < lines.Length && Dated().IsMatch(line)
                && !(Matches(i + 1) && Dated().IsMatch(lines[i + 1]))
                && IsAttributionLine(joined);
            if (!Matches(i) && !wrapped)
                return null;
            var candidate = wrapped ? joined : line;
            var span = wrapped ? 2 : 1;
            var next = NextOther(i + span);
            var quoteFollows = next >= 0 && IsQuoted(lines[next].Trim());
            // "Сервер пишет:" before an error text is the subscriber's own words; a real attribution carries a date
            // ("FileZilla (порт 22) пишет:" does not, nor does "С 11:20 письма не уходят, Thunderbird пишет:" — a time
            // of day alone is how a subscriber says when it began).
            if (WroteWord().IsMatch(candidate) && Day().IsMatch(candidate))
                return new Attribution(span, quoteFollows);
            // Otherwise (Yandex, Mail.ru, Gmail in Russian: "date, Name <a@b>:"), only when a quote or the end follows.
            return next < 0 || quoteFollows ? new Attribution(span, quoteFollows) : null;
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
            return from >= lines.Length ? -1 : nextOther[from];
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

    /// <summary>The footers phones and web mail add under what was written: iPhone, iPad, Android and Samsung, Outlook
    /// for iOS and Android, Mail for Windows, Yandex and Mail.ru apps, K-9 Mail.</summary>
    [GeneratedRegex(@"^(?:Sent from my \w+(?: \w+){0,3}|Sent from (?:Yandex|Mail\.ru|Outlook|Gmail|Samsung|Huawei|Xiaomi)\b.*|Sent (?:from|with) (?:my )?(?:Android|K-9 Mail|Mail for Windows|Mail\.ru)\b.*"
        + @"|(?:Get|Получить|Скачайте) Outlook (?:for|для) \w+(?:\s*<[^<>\s]*>)?"
        + @"|Отправлено с (?:iPhone|iPad|моего \w+|устройства .+|мобильного .*|Android.*)|Отправлено из (?:мобильной|мобильного|приложения) .*|Отправлено через .*(?:Почт|Mail).*|Отправлено из (?:Почты|Mail\.ru|Яндекс)\b.*"
        + @"|Sent from Mail for Windows|Отправлено из приложения «?Почта»? для Windows.*)\.?$", Options)]
    private static partial Regex MobileSignature();

    /// <summary>An attribution line; "… от Name:" only with a date (Mail.ru's "7 декабря 2026, 10:00 от Name:"), since
    /// "письма от внешних отправителей отбиваются, прислал отбойник:" is the subscriber's own sentence.</summary>
    private static bool IsAttributionLine(string line) => AttributionLine().IsMatch(line) || FromAttribution().IsMatch(line) && Day().IsMatch(line);

    [GeneratedRegex(@"\bот\s+.+:$", Options)]
    private static partial Regex FromAttribution();

    [GeneratedRegex(@"(?:wrote|writes|пишет|писал|написал|написала|писала|пишут)(?:\s*\(а\))?\s*:$|<\s*[^<>@\s]+@[^<>\s]+>\s*:$|^\*\s.+\[\d{4}-\d{2}-\d{2}[^\]]*\]:$|^(?:Вы писали|You wrote)\b.+:$", Options)]
    private static partial Regex AttributionLine();

    [GeneratedRegex(@"wrote|writes|пишет|писал|написал|Вы писали", Options)]
    private static partial Regex WroteWord();

    /// <summary>A date: numeric, ISO, a year, or a day and a month's name ("7 дек.", "Dec 7").</summary>
    [GeneratedRegex(@"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}\s+(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}\b", Options)]
    private static partial Regex Day();

    /// <summary>A time of day, a numeric date or a year: what every client's attribution carries.</summary>
    [GeneratedRegex(@"\b\d{1,2}:\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b", Options)]
    private static partial Regex Dated();

    [GeneratedRegex(@"^\*?(?:From|От|Від)\s*:\*?\s", Options)]
    private static partial Regex FromHeader();

    [GeneratedRegex(@"^\*?(?:Sent|Date|Отправлено|Дата)\s*:", Options)]
    private static partial Regex SentHeader();

    [GeneratedRegex(@"^\*?(?:Subject|Тема)\s*:", Options)]
    private static partial Regex SubjectHeader();

    /// <summary>The Bat!'s quote mark: the quoted writer's initials, capitals, before "&gt;" (a pasted "ftp&gt; put"
    /// session is not a quote).</summary>
    [GeneratedRegex(@"^\p{Lu}{1,3}>", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex InitialsQuote();

    /// <summary>A line of underscores or dashes that Outlook and OWA draw above the quoted header.</summary>
    [GeneratedRegex(@"^[_\-=]{5,}$", RegexOptions.NonBacktracking)]
    private static partial Regex Separator();
}
