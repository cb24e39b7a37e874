namespace Reglament.Russian;

/// <summary>How an insult word insults: see <see cref="RudenessLexicon.Insults"/> and the lists after it.</summary>
internal enum InsultClass
{
    /// <summary>A demeaning name for a person and nothing else ("остолоп").</summary>
    Strong,
    /// <summary>An animal or a word with a literal sense ("бараны", "клоуны").</summary>
    Animal,
    /// <summary>An object or a food ("пни", "тормоза"): only said of someone.</summary>
    Object,
    /// <summary>An adjective ("тупые", "криворукие"): only said of someone.</summary>
    Adjective,
}

/// <summary>A <see cref="RudenessLexicon"/> turned into lookup tables for one script (Cyrillic, or Latin spellings):
/// roots grouped by their first letter, whole words in hash sets looked up by span. Built once.</summary>
internal sealed class CompiledLexicon
{
    private const int Slots = 58;

    internal sealed record Root(string Stem, bool AfterPrefixes, bool Tail, string Source);

    private readonly bool latin;
    private readonly List<Root>[] anywhere = NewSlots<Root>();
    private readonly List<Root>[] start = NewSlots<Root>();
    private readonly List<string>[] prefixes = NewSlots<string>();
    private readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> exactLookup;
    private readonly List<string> exceptions = [];
    private readonly Dictionary<string, (string Source, InsultClass Class)> insults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Source, InsultClass Class)>.AlternateLookup<ReadOnlySpan<char>> insultLookup;
    private readonly HashSet<string> targets = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> targetLookup;
    private readonly HashSet<string> staff = new(StringComparer.Ordinal);
    private readonly HashSet<string> self = new(StringComparer.Ordinal);
    private readonly HashSet<string> thirdParties = new(StringComparer.Ordinal);
    private readonly string[] staffPrefixes;
    private readonly string[] insultStarts;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> staffLookup;

    public CompiledLexicon(RudenessLexicon lexicon, bool latin)
    {
        this.latin = latin;
        exactLookup = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        insultLookup = insults.GetAlternateLookup<ReadOnlySpan<char>>();
        targetLookup = targets.GetAlternateLookup<ReadOnlySpan<char>>();
        staffLookup = staff.GetAlternateLookup<ReadOnlySpan<char>>();

        // Latin spellings of Russian words take the Latin prefixes of "на-хуй", "за-ебали", not one-letter ones ("w-eb-line")
        // — except "o" before a root spelled with h/x/kh ("ohuet'", "ohuenno": охуеть), checked where it is used.
        var prefixList = Spellings(lexicon.Prefixes, latin).Select(p => p.Spelling).Where(p => !latin || p.Length >= 2 || p == "o")
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var prefix in prefixList)
            prefixes[Slot(prefix[0])].Add(prefix);
        foreach (var (entry, source) in Spellings(lexicon.Obscene, latin, minLatinLength: 3))
        {
            var body = entry;
            var tail = body.StartsWith('~');
            if (tail)
                body = body[1..];
            var whole = body.StartsWith('=');
            var atStart = body.StartsWith('^');
            if (whole || atStart)
                body = body[1..];
            var afterPrefixes = body.StartsWith('+');
            if (afterPrefixes)
                body = body[1..];
            if (body.Length == 0 || Slot(body[0]) < 0)
                continue;
            var russianInLatin = latin && source.Any(RussianText.IsCyrillic);
            if (whole)
            {
                exact.TryAdd(body, source);
                if (afterPrefixes)
                {
                    foreach (var prefix in prefixList)
                        exact.TryAdd(prefix + body, source);
                }
            }
            else if (atStart || russianInLatin)
                // A Latin word is a Russian word spelled in Latin letters only when the root opens it (after a prefix at
                // most) and the rest reads as Russian endings: "Huizhou", "Sukabumi", "ebanking" are not.
                start[Slot(body[0])].Add(new Root(body, afterPrefixes || russianInLatin && !atStart, tail || latin, source));
            else
                anywhere[Slot(body[0])].Add(new Root(body, false, tail || latin, source));
        }
        exceptions.AddRange(Spellings(lexicon.Exceptions, latin).Select(e => e.Spelling).Distinct(StringComparer.Ordinal));
        AddInsults(lexicon.Insults, InsultClass.Strong);
        AddInsults(lexicon.WeakInsults, InsultClass.Animal);
        AddInsults(lexicon.ObjectInsults, InsultClass.Object);
        AddInsults(lexicon.InsultAdjectives, InsultClass.Adjective);
        // The pejorative "-ишка" of a staff word is an insult whatever the staff word: "инженеришка", "техникишки".
        AddInsults(lexicon.Staff.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length >= 4 && s.All(RussianText.IsCyrillic) && !"аеиоуыэюяйь".Contains(s[^1], StringComparison.Ordinal))
            .Select(s => s + "ишка"), InsultClass.Strong);
        // Short function words are not transliterated: "was" would read as "вас", "i" as "и".
        targets.UnionWith(Spellings(lexicon.Targets.Select(t => "!" + t.TrimStart('!')), latin).Select(t => t.Spelling));
        staff.UnionWith(Spellings(Declined(lexicon.Staff).Select(t => "!" + t), latin).Select(t => t.Spelling));
        targets.UnionWith(staff);
        self.UnionWith(Spellings(lexicon.Self.Select(t => "!" + t.TrimStart('!')), latin).Select(t => t.Spelling));
        thirdParties.UnionWith(Spellings(Declined(lexicon.ThirdParties).Select(t => "!" + t), latin).Select(t => t.Spelling));
        staffPrefixes = [.. lexicon.StaffInsultPrefixes.Select(p => Canon.Collapse(p.Trim().ToLowerInvariant())).Where(p => p.Length > 0)];
        insultStarts = latin ? [] : [.. lexicon.InsultStarts.Select(p => Canon.Collapse(p.Trim().ToLowerInvariant().Replace('ё', 'е'))).Where(p => p.Length > 0)];
        MaskedForms = [.. Spellings(Declined(lexicon.MaskedForms).Distinct(), latin, minLatinLength: 3).Select(m => (m.Spelling, m.Source))];
    }

    private void AddInsults(IEnumerable<string> lemmas, InsultClass kind)
    {
        foreach (var lemma in lemmas)
        {
            foreach (var (form, _) in Spellings(Declined([lemma]), latin, minLatinLength: 5, latinLimit: 2))
                insults.TryAdd(form, (lemma, kind));
        }
    }

    /// <summary>Every form of each lemma (<see cref="RussianInflection"/>), or the entry as written when it spells its
    /// forms out (<c>п(ень|ни)</c>) or starts with <c>=</c>.</summary>
    private static IEnumerable<string> Declined(IEnumerable<string> lemmas)
    {
        foreach (var raw in lemmas)
        {
            var lemma = raw.Trim();
            if (lemma.StartsWith('='))
                yield return lemma[1..];
            else if (lemma.Contains('(', StringComparison.Ordinal) || lemma.Contains(' ', StringComparison.Ordinal) || !lemma.Any(RussianText.IsCyrillic))
                yield return lemma;
            else
            {
                foreach (var form in RussianInflection.Forms(lemma.Replace('ё', 'е')))
                    yield return form;
            }
        }
    }

    /// <summary>Whole obscene words for masked spellings, in this script.</summary>
    public IReadOnlyList<(string Form, string Source)> MaskedForms { get; }

    /// <summary>Prefixes a root may follow.</summary>
    public IEnumerable<string> Prefixes => prefixes.SelectMany(p => p);

    public static int Slot(char c) => c switch
    {
        >= 'а' and <= 'я' => c - 'а',
        >= 'a' and <= 'z' => 32 + (c - 'a'),
        _ => -1,
    };

    /// <summary>The entry of a word-start root (<c>^+</c>) that begins at <paramref name="at"/>, after prefixes.</summary>
    private string? RootAfterPrefixes(ReadOnlySpan<char> word, int at)
    {
        var rest = word[at..];
        var slot = Slot(rest[0]);
        if (slot < 0)
            return null;
        foreach (var root in start[slot])
        {
            if (root.AfterPrefixes && rest.StartsWith(root.Stem, StringComparison.Ordinal) && !Excepted(word, at) && TailFits(root, rest[root.Stem.Length..]))
                return root.Source;
        }
        return null;
    }

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
                if (word.StartsWith(root.Stem, StringComparison.Ordinal) && !Excepted(word, 0) && TailFits(root, word[root.Stem.Length..]))
                    return root.Source;
            }
            foreach (var prefix in prefixes[first])
            {
                if (word.Length <= prefix.Length || !word.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                var rest = word[prefix.Length..];
                var next = Slot(rest[0]);
                if (next < 0 || latin && prefix.Length == 1 && rest[0] is not ('h' or 'x' or 'k'))
                    continue;
                if (RootAfterPrefixes(word, prefix.Length) is { } afterOne)
                    return afterOne;
                // Two prefixes stacked, as Russian verbs take them: «под-за-ебало», «по-на-хуячили».
                if (latin)
                    continue;
                foreach (var second in prefixes[next])
                {
                    if (rest.Length > second.Length && rest.StartsWith(second, StringComparison.Ordinal)
                        && RootAfterPrefixes(word, prefix.Length + second.Length) is { } afterTwo)
                        return afterTwo;
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
                if (word[i..].StartsWith(root.Stem, StringComparison.Ordinal) && !Excepted(word, i) && TailFits(root, word[(i + root.Stem.Length)..]))
                {
                    position = i;
                    return root.Source;
                }
            }
        }
        return null;
    }

    /// <summary>A Latin spelling of a root that ends in "й" ("hui", "huj") is never followed by a vowel in Russian
    /// ("хуйня", "хуйло"), nor one that ends in "и" by "й"/"ю"/"я": "huiyuan", "Huiying" are pinyin names.</summary>
    private bool TailFits(Root root, ReadOnlySpan<char> tail) =>
        !root.Tail || (latin ? (root.Source.Any(RussianText.IsCyrillic)
            ? RussianTail.FitsLatin(tail) && !(root.Source.EndsWith('й') && tail.Length > 0 && tail[0] is 'a' or 'e' or 'i' or 'o' or 'u' or 'y'
                || root.Source.EndsWith('и') && tail.Length > 0 && tail[0] is 'y' or 'j')
            : RussianTail.FitsEnglish(tail)) : RussianTail.Fits(tail));

    /// <summary>The insult lemma a de-obfuscated word is a form of, with its class; "недоадмины", "гореспециалисты" (a
    /// <see cref="RudenessLexicon.StaffInsultPrefixes"/> prefix before a staff word) are strong insults.</summary>
    public string? MatchInsult(ReadOnlySpan<char> word, out InsultClass kind)
    {
        if (insultLookup.TryGetValue(word, out var found))
        {
            kind = found.Class;
            return found.Source;
        }
        kind = InsultClass.Strong;
        foreach (var prefix in staffPrefixes)
        {
            if (word.Length > prefix.Length + 3 && word.StartsWith(prefix, StringComparison.Ordinal) && staffLookup.Contains(word[prefix.Length..]))
                return prefix + "-" + new string(word[prefix.Length..]);
        }
        // The first part of a pejorative compound makes any word an insult: "долбоклюй", "долбонавт", "долбодятел" — a
        // productive pattern, so its new coinages are found without a list.
        foreach (var first in insultStarts)
        {
            if (word.Length >= first.Length + 3 && word.StartsWith(first, StringComparison.Ordinal))
                return first + "…";
        }
        return null;
    }

    /// <summary>A root that a masked word fits (<c>?</c> is a hidden letter; one must fall inside the root): at the
    /// start or after a visible prefix for a word-start root, anywhere for the others.</summary>
    public string? MatchMasked(ReadOnlySpan<char> pattern)
    {
        foreach (var slot in start)
        {
            foreach (var root in slot)
            {
                if (FitsAt(pattern, 0, root.Stem))
                    return root.Source;
                if (!root.AfterPrefixes)
                    continue;
                foreach (var prefix in Prefixes)
                {
                    if (pattern.StartsWith(prefix, StringComparison.Ordinal) && FitsAt(pattern, prefix.Length, root.Stem))
                        return root.Source;
                }
            }
        }
        foreach (var slot in anywhere)
        {
            foreach (var root in slot)
            {
                for (var i = 0; i + root.Stem.Length <= pattern.Length; i++)
                {
                    if (FitsAt(pattern, i, root.Stem))
                        return root.Source;
                }
            }
        }
        return null;
    }

    private static bool FitsAt(ReadOnlySpan<char> pattern, int at, string stem)
    {
        if (at + stem.Length > pattern.Length)
            return false;
        // Some of the root hidden, and at least two of its letters visible: a root that lies wholly (or all but a
        // letter) in the masks is a guess — «вручную**», markdown bold, is not «вручн-жоп».
        int hidden = 0, visible = 0;
        for (var k = 0; k < stem.Length; k++)
        {
            var c = pattern[at + k];
            if (c == '?')
                hidden++;
            else if (c != stem[k])
                return false;
            else
                visible++;
        }
        return hidden > 0 && visible >= 2;
    }

    public bool IsTarget(string word) => targets.Contains(word);

    public bool IsTarget(ReadOnlySpan<char> word) => targetLookup.Contains(word);

    public bool IsStaff(string word) => staff.Contains(word);

    public bool IsStaff(ReadOnlySpan<char> word) => staffLookup.Contains(word);

    public bool IsSelf(string word) => self.Contains(word);

    public bool IsThirdParty(string word) => thirdParties.Contains(word);

    /// <summary>An ordinary word that contains the root found at <paramref name="position"/>: an exception that
    /// covers that position.</summary>
    private bool Excepted(ReadOnlySpan<char> word, int position)
    {
        foreach (var entry in exceptions)
        {
            // "=hue" (the English word, "Philips Hue") excepts only that word: "ohuet'" is "охуеть", "hueta" «хуета».
            if (entry.StartsWith('='))
            {
                if (word.SequenceEqual(entry.AsSpan(1)))
                    return true;
                continue;
            }
            // "^huey" (a Python task queue) excepts only a word that starts with it.
            var anchored = entry.StartsWith('^');
            var exception = anchored ? entry.AsSpan(1) : entry.AsSpan();
            if (anchored)
            {
                if (word.StartsWith(exception, StringComparison.Ordinal) && position < exception.Length)
                    return true;
                continue;
            }
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
    private static IEnumerable<(string Spelling, string Source)> Spellings(IEnumerable<string> entries, bool latin, int minLatinLength = 1, int latinLimit = 64)
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
                while (marks < expanded.Length && expanded[marks] is '^' or '=' or '+' or '~')
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
                    foreach (var spelling in Transliteration.ToLatinVariants(Canon.Collapse(body), latinLimit))
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
