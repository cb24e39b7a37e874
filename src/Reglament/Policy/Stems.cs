using System.Text;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace Reglament.Policy;

/// <summary>The words of a request as the learned rules read them: lower case, <c>ё</c> → <c>е</c>, Russian words
/// reduced to their Snowball stems (so «упал», «упала», «упавший» are one feature), English words as they are, numbers
/// kept when they look like status or error codes, and a negation joined to the next word («не_работа»), because
/// «работает» and «не работает» mean opposite things. Technical chunks (addresses, URLs, paths, host names) become
/// one placeholder each: the shape matters, the name does not.</summary>
/// <remarks>Why Snowball and not a Hunspell lemmatizer: the stems come with Lucene.Net, which the desk already
/// uses for the knowledge base, cost nothing to load (the MTA pipe starts a process per message), and group the
/// inflections a classifier needs grouped; the measured figures are in docs/policy.md.</remarks>
public static class Stems
{
    public const string Url = "⟨url⟩";
    public const string Email = "⟨email⟩";
    public const string Host = "⟨host⟩";
    public const string Path = "⟨path⟩";
    public const string Ip = "⟨ip⟩";

    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "ini", "conf", "cnf", "cfg", "php", "htaccess", "log", "json", "xml", "yml", "yaml", "sql", "txt", "zip", "gz", "tar", "pdf",
        "png", "jpg", "jpeg", "py", "js", "css", "html", "sh", "pem", "crt", "key", "csv", "xlsx", "docx",
    };

    private static readonly HashSet<string> Identification = new(StringComparer.Ordinal) { "логин", "login", "id", "ид", "клиент", "client" };

    [ThreadStatic]
    private static RussianStemmer? stemmer;

    /// <summary>The features of a text in order: stems, placeholders and codes.</summary>
    public static List<string> Of(string text)
    {
        var result = new List<string>();
        var negate = false;
        foreach (var chunk in text.Split((char[])[' ', '\n', '\r', '\t', '\u00A0'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (Technical(chunk) is { } placeholder)
            {
                result.Add(placeholder);
                negate = false;
                continue;
            }
            foreach (var word in Words(chunk))
            {
                if (word is "не" or "нет" or "ни" or "not" or "no" or "nothing")
                {
                    negate = true;
                    continue;
                }
                var stem = Stem(word);
                // Identification is R7's business; its words say nothing about the request.
                if (stem.Length == 0 || Identification.Contains(stem))
                    continue;
                result.Add(negate ? "не_" + stem : stem);
                negate = false;
            }
        }
        return result;
    }

    /// <summary>The stem of one lower-case word.</summary>
    public static string Stem(string word)
    {
        if (word.Length == 0)
            return word;
        if (char.IsDigit(word[0]))
            return word.Length is >= 3 and <= 4 && word.All(char.IsDigit) ? word : "";
        if (word[0] is < 'а' or > 'я')
            return word;
        var s = stemmer ??= new RussianStemmer();
        s.SetCurrent(word);
        s.Stem();
        return s.Current;
    }

    private static IEnumerable<string> Words(string chunk)
    {
        var word = new StringBuilder();
        foreach (var raw in chunk)
        {
            var c = char.ToLowerInvariant(raw);
            if (c == 'ё')
                c = 'е';
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }
            if (word.Length > 0)
                yield return word.ToString();
            word.Clear();
        }
        if (word.Length > 0)
            yield return word.ToString();
    }

    private static string? Technical(string chunk)
    {
        var c = chunk.Trim('(', ')', '[', ']', '<', '>', ',', ';', ':', '«', '»', '"', '\'', '!', '?');
        if (c.Length < 4)
            return null;
        if (c.Contains("://", StringComparison.Ordinal) || c.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            return Url;
        if (c.Contains('@', StringComparison.Ordinal) && c.IndexOf('@', StringComparison.Ordinal) > 0 && c.Contains('.', StringComparison.Ordinal))
            return Email;
        if (c.Count(ch => ch == '.') == 3 && c.All(ch => char.IsDigit(ch) || ch is '.' or '/' or ':'))
            return Ip;
        if (c.StartsWith('/') && c.Length > 1 && c.IndexOf('/', 1) > 0)
            return Path;
        var t = c.TrimEnd('.');
        var dot = t.LastIndexOf('.');
        if (dot >= 0 && FileExtensions.Contains(t[(dot + 1)..]))
            return null;
        if (dot > 0 && dot < t.Length - 2 && t[(dot + 1)..].All(char.IsLetter) && !t.Any(ch => ch is '/' or ' '))
            return t[(dot + 1)..].All(ch => ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= 'а' and <= 'я' or >= 'А' and <= 'Я') && t.Any(char.IsLetter) ? Host : null;
        return null;
    }
}
