using System.Text;

namespace Reglament.Russian;

/// <summary>Russian typed in Latin letters («Zdravstvuyte, ne rabotaet sayt»), read back into Cyrillic so that the
/// rules which read Russian words — stems, phrases, the learned classifiers — read it as Russian. English mixed
/// into a Russian message and technical words stay as they are: a text is read back only when its Latin words are
/// mostly transliterated Russian, and then only the words that are not English.</summary>
public static class Translit
{
    // The commonest short words of each language: enough to tell a transliterated message from an English one.
    private static readonly HashSet<string> RussianWords = new(StringComparer.Ordinal)
    {
        "ne", "na", "v", "vo", "s", "so", "i", "ya", "u", "po", "kak", "chto", "eto", "mne", "menya", "nas", "nam", "vy", "vas", "vam",
        "moy", "moi", "moya", "moyo", "nash", "nashe", "nashi", "vash", "vashe", "pri", "ili", "uzhe", "eshche", "eshe", "tolko", "tozhe",
        "zdravstvuyte", "zdravstvuite", "dobryy", "dobryi", "den", "privet", "pozhaluysta", "pozhaluista", "spasibo", "ochen", "seychas",
        "segodnya", "vchera", "utrom", "rabotaet", "sayt", "pochta", "pochtu", "pochty", "pomogite", "podskazhite", "mozhno",
        "nuzhno", "nado", "kogda", "gde", "pochemu", "zachem", "kto", "bez", "dlya", "ot", "iz", "za", "pod", "nad", "mezhdu", "vse", "vsyo",
    };

    private static readonly HashSet<string> EnglishWords = new(StringComparer.Ordinal)
    {
        "the", "an", "to", "is", "are", "was", "be", "of", "and", "or", "in", "on", "at", "for", "with", "it", "this", "that", "my", "our",
        "your", "you", "we", "me", "us", "not", "can", "please", "hi", "hello", "thanks", "from", "since", "after", "have", "has",
        "do", "does", "did", "what", "how", "why", "when", "which", "there", "here", "all", "any", "again", "still", "down", "up", "but", "if",
        "error", "server", "site", "mail", "file", "files", "login", "password", "backup", "domain", "dns", "ssl", "php", "vps", "ssh", "ftp",
    };

    /// <summary>The text with its transliterated Russian words read back into Cyrillic, or the text itself when it is
    /// not transliterated Russian.</summary>
    public static string ReadBack(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int russian = 0, english = 0;
        foreach (var word in LatinWords(text))
        {
            var lower = word.ToLowerInvariant();
            // English "I" is a capital; Russian "i" (and) is not.
            if (word == "I" || (EnglishWords.Contains(lower) && !RussianWords.Contains(lower)))
                english++;
            else if (RussianWords.Contains(lower) || lower.Contains("zh", StringComparison.Ordinal) || lower.Contains("kh", StringComparison.Ordinal)
                     || lower.EndsWith("yy", StringComparison.Ordinal) || lower.EndsWith("aya", StringComparison.Ordinal) || lower.EndsWith("ogo", StringComparison.Ordinal))
                russian++;
        }
        if (russian < 2 || russian <= english)
            return text;
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordStart(text, i))
            {
                result.Append(text[i++]);
                continue;
            }
            var end = i;
            while (end < text.Length && (RussianText.IsLatin(text[end]) || (text[end] == '\'' && end > i)))
                end++;
            // A technical token (a host, an address, a path, a name with digits) is not a word.
            var technical = (end < text.Length && (char.IsDigit(text[end]) || text[end] is '.' or '@' or '/' or '_' or '-' or ':') && end + 1 < text.Length && char.IsLetterOrDigit(text[end + 1]))
                || (i > 0 && text[i - 1] is '.' or '@' or '/' or '_' or '-' or ':' or '$' or '<' or '=');
            var word = text[i..end];
            if (technical || EnglishWords.Contains(word.ToLowerInvariant()) || IsAcronym(word))
                result.Append(word);
            else
                result.Append(ToCyrillic(word));
            i = end;
        }
        return result.ToString();
    }

    private static bool IsWordStart(string text, int i) =>
        RussianText.IsLatin(text[i]) && (i == 0 || !(char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '\''));

    private static bool IsAcronym(string word) => word.Length <= 5 && word.All(char.IsUpper);

    private static IEnumerable<string> LatinWords(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var latin = i < text.Length && RussianText.IsLatin(text[i]);
            if (latin && start < 0)
                start = i;
            else if (!latin && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }

    private static readonly (string Latin, string Cyrillic)[] Groups =
    [
        ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"), ("yu", "ю"), ("ya", "я"),
        ("yo", "ё"), ("ye", "е"), ("ju", "ю"), ("ja", "я"), ("x", "кс"), ("'", "ь"),
    ];

    private const string Vowels = "aeiouy";

    /// <summary>One transliterated word in Cyrillic, keeping an initial capital.</summary>
    public static string ToCyrillic(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var lower = word.ToLowerInvariant();
        var result = new StringBuilder(lower.Length);
        var i = 0;
        while (i < lower.Length)
        {
            var group = Array.Find(Groups, g => lower.AsSpan(i).StartsWith(g.Latin, StringComparison.Ordinal));
            if (group.Latin is not null)
            {
                result.Append(group.Cyrillic);
                i += group.Latin.Length;
                continue;
            }
            var c = lower[i];
            // "y" after a vowel is й (sayt, dobryy); elsewhere ы (my, vy).
            result.Append(c switch
            {
                'y' => i > 0 && Vowels.Contains(lower[i - 1], StringComparison.Ordinal) ? 'й' : 'ы',
                'j' => 'й',
                'a' => 'а', 'b' => 'б', 'c' => 'ц', 'd' => 'д', 'e' => 'е', 'f' => 'ф', 'g' => 'г', 'h' => 'х', 'i' => 'и',
                'k' => 'к', 'l' => 'л', 'm' => 'м', 'n' => 'н', 'o' => 'о', 'p' => 'п', 'q' => 'к', 'r' => 'р', 's' => 'с',
                't' => 'т', 'u' => 'у', 'v' => 'в', 'w' => 'в', 'z' => 'з',
                _ => c,
            });
            i++;
        }
        if (word.Length > 0 && char.IsUpper(word[0]) && result.Length > 0)
            result[0] = char.ToUpperInvariant(result[0]);
        return result.ToString();
    }
}
