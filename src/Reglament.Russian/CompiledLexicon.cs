namespace Reglament.Russian;

/// <summary>A <see cref="RudenessLexicon"/> turned into lookup tables for one script (Cyrillic, or Latin spellings):
/// roots grouped by their first letter, whole words in hash sets looked up by span. Built once.</summary>
internal sealed class CompiledLexicon
{
    private const int Slots = 58;

    internal sealed record Root(string Stem, bool AfterPrefixes, string Source);

    private readonly List<Root>[] anywhere = NewSlots<Root>();
    private readonly List<Root>[] start = NewSlots<Root>();
    private readonly List<string>[] prefixes = NewSlots<string>();
    private readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> exactLookup;
    private readonly List<string> exceptions = [];
    private readonly Dictionary<string, string> insults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> insultLookup;
    private readonly Dictionary<string, string> weakInsults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> weakLookup;
    private readonly HashSet<string> targets = new(StringComparer.Ordinal);
    private readonly HashSet<string> self = new(StringComparer.Ordinal);

    public CompiledLexicon(RudenessLexicon lexicon, bool latin)
    {
        exactLookup = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        insultLookup = insults.GetAlternateLookup<ReadOnlySpan<char>>();
        weakLookup = weakInsults.GetAlternateLookup<ReadOnlySpan<char>>();

        var prefixList = Spellings(lexicon.Prefixes, latin).Select(p => p.Spelling).Distinct(StringComparer.Ordinal).ToList();
        foreach (var prefix in prefixList)
            prefixes[Slot(prefix[0])].Add(prefix);
        foreach (var (entry, source) in Spellings(lexicon.Obscene, latin, minLatinLength: 3))
        {
            var body = entry;
            var whole = body.StartsWith('=');
            var atStart = body.StartsWith('^');
            if (whole || atStart)
                body = body[1..];
            var afterPrefixes = body.StartsWith('+');
            if (afterPrefixes)
                body = body[1..];
            if (body.Length == 0 || Slot(body[0]) < 0)
                continue;
            if (whole)
            {
                exact.TryAdd(body, source);
                if (afterPrefixes)
                {
                    foreach (var prefix in prefixList)
                        exact.TryAdd(prefix + body, source);
                }
            }
            else if (atStart)
                start[Slot(body[0])].Add(new Root(body, afterPrefixes, source));
            else
                anywhere[Slot(body[0])].Add(new Root(body, false, source));
        }
        exceptions.AddRange(Spellings(lexicon.Exceptions, latin).Select(e => e.Spelling).Distinct(StringComparer.Ordinal));
        foreach (var (form, source) in Spellings(lexicon.Insults, latin))
            insults.TryAdd(form, source);
        foreach (var (form, source) in Spellings(lexicon.WeakInsults, latin))
            weakInsults.TryAdd(form, source);
        // Short function words are not transliterated: "was" would read as "вас", "i" as "и".
        targets.UnionWith(Spellings(lexicon.Targets.Select(t => "!" + t.TrimStart('!')), latin).Select(t => t.Spelling));
        self.UnionWith(Spellings(lexicon.Self.Select(t => "!" + t.TrimStart('!')), latin).Select(t => t.Spelling));
        MaskedForms = [.. Spellings(lexicon.MaskedForms, latin, minLatinLength: 3).Select(m => (m.Spelling, m.Source))];
    }

    /// <summary>Whole obscene words for masked spellings, in this script.</summary>
    public IReadOnlyList<(string Form, string Source)> MaskedForms { get; }

    public static int Slot(char c) => c switch
    {
        >= 'а' and <= 'я' => c - 'а',
        >= 'a' and <= 'z' => 32 + (c - 'a'),
        _ => -1,
    };

    /// <summary>The obscene entry a de-obfuscated word matches, or null.</summary>
    public string? MatchObscene(ReadOnlySpan<char> word) => MatchObscene(word, out _);

    /// <summary>The obscene entry a de-obfuscated word matches and where its root starts (0 for a word-start root,
    /// also after a prefix), or null.</summary>
    public string? MatchObscene(ReadOnlySpan<char> word, out int position)
    {
        position = 0;
        if (word.Length == 0)
            return null;
        if (exactLookup.TryGetValue(word, out var whole))
            return whole;
        var first = Slot(word[0]);
        if (first >= 0)
        {
            foreach (var root in start[first])
            {
                if (word.StartsWith(root.Stem, StringComparison.Ordinal) && !Excepted(word, 0))
                    return root.Source;
            }
            foreach (var prefix in prefixes[first])
            {
                if (word.Length <= prefix.Length || !word.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                var rest = word[prefix.Length..];
                var next = Slot(rest[0]);
                if (next < 0)
                    continue;
                foreach (var root in start[next])
                {
                    if (root.AfterPrefixes && rest.StartsWith(root.Stem, StringComparison.Ordinal) && !Excepted(word, prefix.Length))
                        return root.Source;
                }
            }
        }
        for (var i = 0; i < word.Length; i++)
        {
            var slot = Slot(word[i]);
            if (slot < 0)
                continue;
            var roots = anywhere[slot];
            for (var r = 0; r < roots.Count; r++)
            {
                var root = roots[r];
                if (word[i..].StartsWith(root.Stem, StringComparison.Ordinal) && !Excepted(word, i))
                {
                    position = i;
                    return root.Source;
                }
            }
        }
        return null;
    }

    public string? MatchInsult(ReadOnlySpan<char> word, out bool strong)
    {
        strong = insultLookup.TryGetValue(word, out var source);
        if (strong)
            return source;
        return weakLookup.TryGetValue(word, out source) ? source : null;
    }

    public bool IsTarget(string word) => targets.Contains(word);

    public bool IsSelf(string word) => self.Contains(word);

    /// <summary>An ordinary word that contains the root found at <paramref name="position"/>: an exception that
    /// covers that position.</summary>
    private bool Excepted(ReadOnlySpan<char> word, int position)
    {
        foreach (var exception in exceptions)
        {
            var from = 0;
            while (from <= position)
            {
                var index = word[from..].IndexOf(exception, StringComparison.Ordinal);
                if (index < 0)
                    break;
                index += from;
                if (index <= position && position < index + exception.Length)
                    return true;
                from = index + 1;
            }
        }
        return false;
    }

    /// <summary>Entries expanded (<c>stem(a|b)</c>) and spelled in this script: Cyrillic entries as they are (collapsed),
    /// or in every Latin spelling; Latin entries only in the Latin table. <c>!</c> keeps an entry Cyrillic-only.</summary>
    private static IEnumerable<(string Spelling, string Source)> Spellings(IEnumerable<string> entries, bool latin, int minLatinLength = 1)
    {
        foreach (var source in entries)
        {
            var entry = source.Trim();
            var cyrillicOnly = entry.StartsWith('!');
            if (cyrillicOnly)
                entry = entry[1..];
            foreach (var expanded in Expand(entry.ToLowerInvariant()))
            {
                var marks = 0;
                while (marks < expanded.Length && expanded[marks] is '^' or '=' or '+')
                    marks++;
                var body = expanded[marks..];
                var isLatin = body.Length > 0 && body.All(c => c is >= 'a' and <= 'z' or '\'');
                var isCyrillic = body.Any(RussianText.IsCyrillic);
                if (!latin && isCyrillic)
                    yield return (expanded[..marks] + Canon.Collapse(body), source);
                else if (latin && isLatin)
                    yield return (expanded[..marks] + Canon.Collapse(body), source);
                else if (latin && isCyrillic && !cyrillicOnly)
                {
                    foreach (var spelling in Transliteration.ToLatinVariants(Canon.Collapse(body)))
                    {
                        if (spelling.Length >= minLatinLength)
                            yield return (expanded[..marks] + spelling, source);
                    }
                }
            }
        }
    }

    /// <summary><c>a(b|c|)d</c> → <c>abd</c>, <c>acd</c>, <c>ad</c>.</summary>
    internal static IEnumerable<string> Expand(string entry)
    {
        var open = entry.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            yield return entry;
            yield break;
        }
        var close = entry.IndexOf(')', open);
        if (close < 0)
        {
            yield return entry;
            yield break;
        }
        foreach (var alternative in entry[(open + 1)..close].Split('|'))
        {
            foreach (var rest in Expand(entry[(close + 1)..]))
                yield return entry[..open] + alternative + rest;
        }
    }

    private static List<T>[] NewSlots<T>()
    {
        var slots = new List<T>[Slots];
        for (var i = 0; i < slots.Length; i++)
            slots[i] = [];
        return slots;
    }
}
