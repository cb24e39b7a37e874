using System.Text;
using System.Text.RegularExpressions;

namespace Reglament.Knowledge;

/// <summary>Turns what a customer wrote into search words: only the new text (no quoted history, no signature),
/// fewer log lines, words typed in the wrong keyboard layout or in Latin transliteration brought back to Russian
/// when the knowledge base knows them, and the synonyms hosting customers use added.</summary>
public static partial class QueryText
{
    /// <summary>The part of an e-mail the customer wrote now: quoted history goes (the mail channel's
    /// <see cref="Mail.QuotedText"/>), then the sign-off and signature, and all but the first lines of a pasted log.</summary>
    public static string NewText(string body)
    {
        var kept = new StringBuilder();
        var logLines = 0;
        foreach (var raw in (Mail.QuotedText.NewText(body, isForward: false) ?? body).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line is "--" or "-- " || SignOff().IsMatch(line))
                break;
            // Pasted logs repeat themselves; the first few lines carry the error, the rest only add weight.
            if (LogLine().IsMatch(line) && ++logLines > 3)
                continue;
            kept.AppendLine(line);
        }
        return kept.ToString();
    }

    /// <summary>Words of the text, lower case, ё as е; Latin words that are Russian typed wrongly are repaired
    /// when <paramref name="isKnown"/> recognises the repair.</summary>
    public static IEnumerable<string> Words(string text, Func<string, bool> isKnown)
    {
        foreach (Match m in Word().Matches(text.ToLowerInvariant().Replace('ё', 'е')))
        {
            var word = m.Value;
            if (!IsLatin(word) || isKnown(word))
            {
                yield return word;
                continue;
            }
            var layout = FromWrongLayout(m.Value.ToLowerInvariant());
            if (layout is not null && isKnown(layout))
            {
                yield return layout;
                continue;
            }
            yield return Transliterations(word).FirstOrDefault(isKnown) ?? word;
        }
    }

    /// <summary>Synonyms customers use for the words the articles use, added to the query with half the weight
    /// of the words the customer wrote.</summary>
    public static IEnumerable<(string Word, float Weight)> WithSynonyms(IEnumerable<string> words) =>
        WithSynonyms(words.Select(w => (w, 1f))).Select(w => (w.Word, w.Weight));

    /// <summary>The same for weighted words: a synonym gets half its word's weight; <c>Written</c> tells the
    /// customer's own words from the synonyms added.</summary>
    public static IEnumerable<(string Word, float Weight, bool Written)> WithSynonyms(IEnumerable<(string Word, float Weight)> words)
    {
        foreach (var (word, weight) in words)
        {
            yield return (word, weight, true);
            if (Synonyms.TryGetValue(word, out var more) || (MayBeSynonym(word) && ByStem.Value.TryGetValue(StemOf(word), out more)))
                foreach (var s in more)
                    yield return (s, weight * 0.5f, false);
        }
    }

    /// <summary>The words of a request, each weighted by where it stands: in a long mail (more than
    /// <paramref name="longWords"/> words) that asks something, the subject and the sentences that ask (a question
    /// mark, or «как…», «можно ли…», «что делать…») weigh 1 and the story around them <paramref name="story"/> — the
    /// question buried in a story is what the customer needs answered. A short request is all question.</summary>
    public static IEnumerable<(string Word, float Weight)> Weighted(string text, Func<string, bool> isKnown, int longWords, float story)
    {
        var all = Words(text, isKnown).ToList();
        if (story >= 1 || all.Count <= longWords)
            return all.Select(w => (w, 1f));
        var sentences = new List<(List<string> Words, bool Asks)>();
        var first = true;
        foreach (var line in text.Split('\n'))
        {
            foreach (Match m in Sentence().Matches(line))
            {
                var words = Words(m.Value, isKnown).ToList();
                if (words.Count == 0)
                    continue;
                sentences.Add((words, first || m.Value.TrimEnd().EndsWith('?') || Asking().IsMatch(m.Value)));
            }
            first = false;
        }
        if (!sentences.Skip(1).Any(s => s.Asks))
            return all.Select(w => (w, 1f));
        return sentences.SelectMany(s => s.Words.Select(w => (w, s.Asks ? 1f : story)));
    }

    [GeneratedRegex(@"[^.!?…]+[.!?…]*", RegexOptions.NonBacktracking)]
    private static partial Regex Sentence();

    [GeneratedRegex(@"(^|[\s,(«""])(как (мне |нам )?(сделать|настроить|добавить|поменять|сменить|изменить|перенести|вернуть|восстановить|подключить|включить|убрать|исправить|быть)|можно ли|что (мне |нам )?делать|подскажите|куда|где (найти|посмотреть|взять|настроить))", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Asking();

    private static readonly Dictionary<string, string[]> Synonyms = BuildSynonyms(
        ["почта", "мыло", "мыла", "мыле", "email", "e-mail", "емейл", "имейл", "мейл", "почту", "почты"],
        ["vps", "впс", "вдс", "vds", "виртуалка", "виртуалки", "виртуалку"],
        ["dns", "днс", "нс", "ns"],
        ["ssl", "https", "сертификат", "сертификата", "замочек", "ссл", "tls"],
        ["резервная", "бэкап", "бекап", "бэкапа", "бекапа", "бэкапы", "backup", "резервной", "копии"],
        ["панель", "кабинет", "личный", "лк", "cpanel", "ispmanager"],
        ["домен", "домена", "домены", "сайт"],
        ["пароль", "пасс", "password", "пароля"],
        ["ftp", "sftp", "фтп"],
        ["ssh", "ссш", "putty", "терминал"],
        ["спам", "spam", "нежелательные"],
        ["оплата", "оплатить", "заплатить", "счет", "деньги", "платеж"],
        ["php", "пхп"],
        ["ping", "пинг", "пингуется", "пингует", "пингуются"],
        ["двухфакторная", "2фа", "2fa", "двухэтапная"],
        ["android", "андроид", "самсунг", "samsung", "xiaomi", "сяоми", "redmi", "редми", "honor", "хонор"],
        ["iphone", "айфон", "айфоне", "ipad", "айпад"],
        ["редирект", "redirect", "перенаправление"],
        ["cron", "крон", "кронтаб", "crontab"],
        ["включить", "вкл"]);

    // Any form of a synonym finds its group («бекапы», «бэкапов» as «бэкап»): the list names a few forms, customers write others.
    private static readonly Lazy<Dictionary<string, string[]>> ByStem = new(() =>
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (word, more) in Synonyms)
            if (StemOf(word) is { Length: >= 3 } stem)
                map.TryAdd(stem, more);
        return map;
    });

    // A stem begins the word it was cut from: a word whose first letters begin no synonym's stem is not analysed again
    // (the matcher stems every word once already; this keeps the second analysis to the few words that may be synonyms).
    private static readonly Lazy<HashSet<string>> StemStarts = new(() => [.. ByStem.Value.Keys.Select(k => k[..3])]);

    private static bool MayBeSynonym(string word) => word.Length >= 3 && StemStarts.Value.Contains(word[..3]);

    private static string StemOf(string word) => KnowledgeIndex.Analyse(word) is [var stem] ? stem : "";

    private static Dictionary<string, string[]> BuildSynonyms(params string[][] groups)
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in groups)
            foreach (var word in group)
                map[word] = [.. group.Where(w => w != word)];
        return map;
    }

    private static bool IsLatin(string word) => word.All(c => c is >= 'a' and <= 'z' or '[' or ']' or ';' or '\'' or ',' or '.' or '`');

    private const string Qwerty = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
    private const string Jcuken = "йцукенгшщзхъфывапролджэячсмитьбюё";

    /// <summary>"ntcn" → "тест": the word as it would read typed on the Russian layout.</summary>
    internal static string? FromWrongLayout(string word)
    {
        var chars = new char[word.Length];
        for (var i = 0; i < word.Length; i++)
        {
            var at = Qwerty.IndexOf(word[i], StringComparison.Ordinal);
            if (at < 0)
                return null;
            chars[i] = Jcuken[at];
        }
        return new string(chars).Replace('ё', 'е');
    }

    /// <summary>The readings of a transliterated word, likeliest first: the usual one, then "i" read as «й» after a
    /// vowel ("sait" → «сайт») and "u" as «ю» after a consonant ("kluch" → «ключ»), as people type them.</summary>
    internal static IEnumerable<string> Transliterations(string word)
    {
        var plain = FromTranslit(word);
        yield return plain;
        var shortI = ShortI().Replace(plain, "$1й");
        if (shortI != plain)
            yield return shortI;
        var yu = Yu().Replace(shortI, "$1ю");
        if (yu != shortI)
            yield return yu;
    }

    [GeneratedRegex("([аоеуыэя])и(?![аоеуыэюя])")]
    private static partial Regex ShortI();

    [GeneratedRegex("([лнкгдтсзрбпмвфхчшщж])у", RegexOptions.NonBacktracking)]
    private static partial Regex Yu();

    /// <summary>"pochta" → "почта": the common Latin transliterations, longest first.</summary>
    internal static string FromTranslit(string word)
    {
        var result = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length;)
        {
            var matched = false;
            foreach (var (latin, cyrillic) in Translit)
            {
                if (string.CompareOrdinal(word, i, latin, 0, latin.Length) == 0)
                {
                    result.Append(cyrillic);
                    i += latin.Length;
                    matched = true;
                    break;
                }
            }
            if (!matched)
                result.Append(word[i++]);
        }
        return result.ToString();
    }

    private static readonly (string Latin, string Cyrillic)[] Translit =
    [
        ("shch", "щ"), ("tsya", "тся"), ("sch", "щ"), ("yo", "е"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
        ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"), ("'", "ь"),
        ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"),
        ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
        ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("w", "в"), ("x", "кс"), ("q", "к"),
    ];

    [GeneratedRegex(@"[\p{L}\d][\p{L}\d_'\[\];,.`-]*[\p{L}\d\]'`]|[\p{L}\d]", RegexOptions.NonBacktracking)]
    private static partial Regex Word();

    [GeneratedRegex(@"^\s*(С уважением|С наилучшими пожеланиями|Best regards|Regards|Kind regards|Отправлено с (моего )?(iPhone|Android|смартфона))", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SignOff();

    [GeneratedRegex(@"^\s*(\[?\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}|\[\w{3} \w{3} \d{1,2} |\d{1,3}(\.\d{1,3}){3} - -|at [\w.$<>]+\(.*\)$|#\d+ /)", RegexOptions.NonBacktracking)]
    private static partial Regex LogLine();
}
