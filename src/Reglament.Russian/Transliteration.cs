namespace Reglament.Russian;

/// <summary>Russian words written in Latin letters ("pizdec", "blyat", "xyй"): the lexicon's Cyrillic entries are
/// spelled in every common Latin way once, at construction, so that a Latin word is looked up directly.</summary>
internal static class Transliteration
{
    private static readonly Dictionary<char, string[]> ToLatin = new()
    {
        ['а'] = ["a"], ['б'] = ["b"], ['в'] = ["v", "w"], ['г'] = ["g"], ['д'] = ["d"], ['е'] = ["e", "ye", "je"],
        ['ж'] = ["zh", "j"], ['з'] = ["z"], ['и'] = ["i"], ['й'] = ["i", "y", "j"], ['к'] = ["k"], ['л'] = ["l"],
        ['м'] = ["m"], ['н'] = ["n"], ['о'] = ["o"], ['п'] = ["p"], ['р'] = ["r"], ['с'] = ["s", "c"], ['т'] = ["t"],
        ['у'] = ["u", "y"], ['ф'] = ["f"], ['х'] = ["h", "x", "kh"], ['ц'] = ["c", "ts"], ['ч'] = ["ch"],
        ['ш'] = ["sh"], ['щ'] = ["sch", "sh"], ['ь'] = [""], ['ы'] = ["y", "i"], ['э'] = ["e"], ['ю'] = ["yu", "ju"],
        ['я'] = ["ya", "ja", "ia"],
    };

    private static readonly (string Latin, char Cyrillic)[] Digraphs =
    [
        ("sch", 'щ'), ("sh", 'ш'), ("ch", 'ч'), ("zh", 'ж'), ("kh", 'х'), ("ya", 'я'), ("ja", 'я'), ("yu", 'ю'), ("ju", 'ю'),
        ("yo", 'е'), ("ts", 'ц'),
    ];

    private const string Single = "абсдефгхийклмнопкрстуввхуз";

    /// <summary>Every Latin spelling of a Cyrillic entry (at most <paramref name="limit"/>), collapsed like words are.</summary>
    public static IReadOnlyList<string> ToLatinVariants(string cyrillic, int limit = 64)
    {
        var results = new List<string> { "" };
        foreach (var c in cyrillic)
        {
            if (!ToLatin.TryGetValue(c, out var options))
                options = [c.ToString()];
            var next = new List<string>(results.Count * options.Length);
            foreach (var prefix in results)
            {
                foreach (var option in options)
                {
                    if (next.Count < limit)
                        next.Add(prefix + option);
                }
            }
            results = next;
        }
        return [.. results.Select(Canon.Collapse).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The most likely Cyrillic reading of a Latin word, for <see cref="RussianText.Deobfuscate"/>.</summary>
    public static string ToCyrillic(string latin)
    {
        Span<char> lower = stackalloc char[latin.Length * 2 + 2];
        var length = Canon.Latin(latin, lower);
        var s = lower[..length];
        var builder = new System.Text.StringBuilder(length);
        var i = 0;
        while (i < s.Length)
        {
            var matched = false;
            foreach (var (digraph, cyrillic) in Digraphs)
            {
                if (s[i..].StartsWith(digraph, StringComparison.Ordinal))
                {
                    builder.Append(cyrillic);
                    i += digraph.Length;
                    matched = true;
                    break;
                }
            }
            if (matched)
                continue;
            var c = s[i++];
            // "pizdec", "konec": a final c is ц; elsewhere ("cyka") it is с.
            builder.Append(c == 'c' && i == s.Length ? 'ц' : c is >= 'a' and <= 'z' ? Single[c - 'a'] : c);
        }
        return builder.ToString();
    }
}
