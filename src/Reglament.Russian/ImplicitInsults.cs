using System.Buffers;

namespace Reglament.Russian;

/// <summary>Insults by implication: rhetorical questions that demean the reader or the staff
/// (<see cref="RudenessLexicon.ImplicitInsults"/>, <see cref="RudenessLexicon.Skills"/>).</summary>
public sealed partial class RudenessDetector
{
    private readonly HashSet<string> reader;
    private readonly HashSet<string> thirdPersons;
    private readonly ImplicitPattern[] implicitInsults;
    private readonly ImplicitPattern[] demeaningRemarks;
    private ImplicitPattern[] allPatterns = [];
    private PatternIndex implicitIndex = null!;
    private PatternIndex remarkIndex = null!;
    private Triggers triggers = null!;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> skillLookup;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> denialLookup;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> particleLookup;

    /// <summary>Builds the prefilter of <see cref="FindImplicitInsults"/>; the constructor calls it last.</summary>
    private void CompileTriggers()
    {
        allPatterns = [.. implicitInsults, .. demeaningRemarks];
        triggers = new Triggers(allPatterns);
        implicitIndex = new PatternIndex(implicitInsults);
        remarkIndex = new PatternIndex(demeaningRemarks);
        skillLookup = skills.GetAlternateLookup<ReadOnlySpan<char>>();
        denialLookup = skillDenials.GetAlternateLookup<ReadOnlySpan<char>>();
        particleLookup = particles.GetAlternateLookup<ReadOnlySpan<char>>();
    }
    private readonly HashSet<string> skills;
    private readonly HashSet<string> skillDenials;
    private readonly HashSet<string> particles;

    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create(".!?…\n");

    /// <summary>One form of a group: consecutive words, each a whole word or a stem (<c>*</c>).</summary>
    private sealed record ImplicitForm((string Text, bool Stem)[] Words)
    {
        /// <summary>The bucket of the first word's first two letters (<see cref="WordKey"/>), or -1 when words of
        /// many buckets may begin the form (a one-letter stem).</summary>
        public int Key { get; } = Words[0].Text.Length >= 2 || Words[0].Text.Length == 1 && !Words[0].Stem ? WordKey(Words[0].Text) : -1;

        /// <summary>Whether the form may begin at a word of the sentence whose buckets are <paramref name="present"/>.</summary>
        public bool MayBeginIn(ReadOnlySpan<ulong> present) => Key < 0 || (present[Key >> 6] & (1UL << (Key & 63))) != 0;
    }

    /// <summary>Patterns by the buckets of their first group's forms: a sentence is tried only against the patterns
    /// whose first group may occur in it, in the patterns' own order.</summary>
    private sealed class PatternIndex
    {
        private readonly int[][] byKey = new int[4096][];
        private readonly int[] always;

        public PatternIndex(ImplicitPattern[] patterns)
        {
            Patterns = patterns;
            var lists = new List<int>?[4096];
            var anyKey = new List<int>();
            for (var p = 0; p < patterns.Length; p++)
            {
                foreach (var key in patterns[p].Groups[0].Select(f => f.Key).Distinct())
                {
                    if (key < 0)
                        anyKey.Add(p);
                    else
                        (lists[key] ??= []).Add(p);
                }
            }
            for (var k = 0; k < byKey.Length; k++)
                byKey[k] = lists[k] is { } list ? [.. list] : [];
            always = [.. anyKey.Distinct()];
        }

        public ImplicitPattern[] Patterns { get; }

        /// <summary>Marks in <paramref name="chosen"/> the patterns whose first group may occur in the sentence.</summary>
        public void Choose(ReadOnlySpan<ulong> present, Span<ulong> chosen)
        {
            foreach (var p in always)
                chosen[p >> 6] |= 1UL << (p & 63);
            for (var w = 0; w < present.Length; w++)
            {
                for (var bits = present[w]; bits != 0; bits &= bits - 1)
                {
                    foreach (var p in byKey[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)])
                        chosen[p >> 6] |= 1UL << (p & 63);
                }
            }
        }
    }

    /// <summary>A word's bucket by its first two letters: a form can begin only at a word of its bucket.</summary>
    private static int WordKey(ReadOnlySpan<char> word) => word.Length == 0 ? 0 : (word[0] * 31 + (word.Length > 1 ? word[1] : 0)) & 4095;

    /// <summary>Groups that must all occur in one question; the source is the lexicon entry.</summary>
    private sealed record ImplicitPattern(ImplicitForm[][] Groups, string Source)
    {
        public static ImplicitPattern Parse(string source)
        {
            var groups = source.Split(" + ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .SelectMany(f => CompiledLexicon.Expand(Fold(f)))
                    .Select(f => new ImplicitForm([.. f.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .Select(w => (Canon.Collapse(w.TrimEnd('*')), w.EndsWith('*')))]))
                    .Where(f => f.Words.Length > 0)
                    .ToArray())
                .Where(g => g.Length > 0)
                .ToArray();
            return new ImplicitPattern(groups, source);
        }
    }

    /// <summary>Which pattern groups a word may belong to: the longest word of a form, exact or a stem; built once. The full search
    /// (over pooled word forms, <see cref="WordForms"/>) runs only when every group of some pattern, or a skill and a denial, occur in the text —
    /// clean text is judged faster.</summary>
    private sealed class Triggers
    {
        public readonly Dictionary<string, List<(int Pattern, int Group)>> Exact = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<(string Stem, int Pattern, int Group)>> Stems = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<(int Pattern, int Group)>>.AlternateLookup<ReadOnlySpan<char>> ExactLookup;
        public readonly Dictionary<string, List<(string Stem, int Pattern, int Group)>>.AlternateLookup<ReadOnlySpan<char>> StemLookup;
        public readonly int[] GroupCounts;

        public Triggers(ImplicitPattern[] patterns)
        {
            ExactLookup = Exact.GetAlternateLookup<ReadOnlySpan<char>>();
            StemLookup = Stems.GetAlternateLookup<ReadOnlySpan<char>>();
            GroupCounts = [.. patterns.Select(p => p.Groups.Length)];
            for (var p = 0; p < patterns.Length; p++)
            {
                for (var g = 0; g < patterns[p].Groups.Length; g++)
                {
                    foreach (var form in patterns[p].Groups[g])
                    {
                        // The longest word of a form stands for it: "с мозгами" occurs only where "мозгами" does, and
                        // "с" is in every other text.
                        var (text, stem) = form.Words.MaxBy(w => w.Text.Length);
                        if (stem)
                        {
                            var key = text[..Math.Min(3, text.Length)];
                            if (!Stems.TryGetValue(key, out var stems))
                                Stems[key] = stems = [];
                            stems.Add((text, p, g));
                            continue;
                        }
                        if (!Exact.TryGetValue(text, out var list))
                            Exact[text] = list = [];
                        list.Add((p, g));
                    }
                }
            }
        }
    }

    private bool MayHaveImplicitInsult(ref State state)
    {
        var count = allPatterns.Length;
        Span<byte> seen = stackalloc byte[Math.Max(1, count)];
        Span<char> buffer = stackalloc char[lexicon.MaxWordLength * 2 + 2];
        bool skill = false, denial = false;
        for (var i = 0; i < state.WordCount; i++)
        {
            var raw = state.Text.AsSpan(state.Words[i].Start, state.Words[i].End - state.Words[i].Start);
            if (raw.Length > lexicon.MaxWordLength)
                continue;
            var cyrillicWord = false;
            foreach (var c in raw)
                cyrillicWord |= RussianText.IsCyrillic(c);
            var n = cyrillicWord ? Canon.Cyrillic(raw, buffer, 0) : Canon.Latin(raw, buffer);
            var word = buffer[..n];
            // «специалисты» in scare quotes: the full search looks at who they belong to.
            if (cyrillicWord && QuotedAlone(state.Text, state.Words[i].Start, state.Words[i].End) && cyrillic.IsStaff(word))
                return true;
            skill |= skillLookup.Contains(word);
            denial |= denialLookup.Contains(word);
            if (triggers.ExactLookup.TryGetValue(word, out var exact))
                Mark(exact, seen);
            // Stems by their first three letters (or fewer, for shorter stems): one or two lookups per word.
            for (var length = 2; length <= Math.Min(n, 3); length++)
            {
                if (!triggers.StemLookup.TryGetValue(word[..length], out var stems))
                    continue;
                foreach (var (stem, pattern, group) in stems)
                {
                    if (word.StartsWith(stem, StringComparison.Ordinal))
                        seen[pattern] |= (byte)(1 << Math.Min(group, 7));
                }
            }
        }
        if (skill && denial)
            return true;
        for (var p = 0; p < count; p++)
        {
            if (System.Numerics.BitOperations.PopCount(seen[p]) >= triggers.GroupCounts[p])
                return true;
        }
        return false;
    }

    private static void Mark(List<(int Pattern, int Group)> found, Span<byte> seen)
    {
        foreach (var (pattern, group) in found)
            seen[pattern] |= (byte)(1 << Math.Min(group, 7));
    }

    private void FindImplicitInsults(ref State state)
    {
        if (implicitInsults.Length == 0 && demeaningRemarks.Length == 0 && skills.Count == 0 || state.WordCount == 0 || !MayHaveImplicitInsult(ref state))
            return;
        var words = WordForms.Read(ref state);
        try
        {
            var first = 0;
            for (var i = 0; i < state.WordCount; i++)
            {
                // Words may overlap (a masked word is also read in pieces): an empty gap then.
                var gapEnd = i + 1 < state.WordCount ? state.Words[i + 1].Start : state.Text.Length;
                var gap = gapEnd > state.Words[i].End ? state.Text.AsSpan(state.Words[i].End, gapEnd - state.Words[i].End) : [];
                if (i + 1 < state.WordCount && gap.IndexOfAny(SentenceEnds) < 0)
                    continue;
                Sentence(ref state, words, first, i, question: gap.IndexOf('?') >= 0);
                first = i + 1;
            }
        }
        finally
        {
            words.Return();
        }
    }

    /// <summary>The words of a text in their simple canonical form (<see cref="SimpleInto"/>), side by side in one
    /// per-thread buffer: the full search reads spans of it and allocates nothing once the thread has read a text as long.</summary>
    private readonly struct WordForms
    {
        private readonly char[] chars;
        private readonly int[] spans;
        private readonly bool[] latin;
        private readonly int count;

        private WordForms(char[] chars, int[] spans, bool[] latin, int count) =>
            (this.chars, this.spans, this.latin, this.count) = (chars, spans, latin, count);

        /// <summary>Word <paramref name="i"/>: its start in <see cref="chars"/> at <c>spans[i]</c>, its length at <c>spans[count + i]</c>.</summary>
        public ReadOnlySpan<char> this[int i] => chars.AsSpan(spans[i], spans[count + i]);

        public bool IsLatin(int i) => latin[i];

        public static WordForms Read(ref State state)
        {
            var capacity = 0;
            for (var i = 0; i < state.WordCount; i++)
            {
                var length = state.Words[i].End - state.Words[i].Start;
                capacity += length > 64 ? 0 : length * 2 + 2;
            }
            var count = state.WordCount;
            var forms = new WordForms(ThreadBuffer<char>.Rent(Math.Max(1, capacity)), ThreadBuffer<int>.Rent(2 * count),
                ThreadBuffer<bool>.Rent(count), count);
            var at = 0;
            for (var i = 0; i < count; i++)
            {
                var raw = state.Text.AsSpan(state.Words[i].Start, state.Words[i].End - state.Words[i].Start);
                forms.spans[i] = at;
                forms.spans[count + i] = 0;
                forms.latin[i] = false;
                if (raw.Length > 64)
                    continue;
                var hasCyrillic = false;
                foreach (var c in raw)
                    hasCyrillic |= RussianText.IsCyrillic(c);
                var buffer = forms.chars.AsSpan(at, raw.Length * 2 + 2);
                forms.spans[count + i] = hasCyrillic ? Canon.Cyrillic(raw, buffer, 0) : Canon.Latin(raw, buffer);
                forms.latin[i] = !hasCyrillic;
                at += raw.Length * 2 + 2;
            }
            return forms;
        }

        public void Return()
        {
            ThreadBuffer<char>.Return(chars);
            ThreadBuffer<int>.Return(spans);
            ThreadBuffer<bool>.Return(latin);
        }
    }

    /// <summary>Words <paramref name="first"/>..<paramref name="last"/> are one sentence.</summary>
    private void Sentence(ref State state, WordForms words, int first, int last, bool question)
    {
        var addressed = false;
        // Every pattern is tried against every sentence: the buckets of the sentence's words let most patterns be
        // passed over without a scan (the scans were half of the detector's time on ordinary mail).
        Span<ulong> present = stackalloc ulong[64];
        for (var i = first; i <= last; i++)
        {
            addressed |= (words.IsLatin(i) ? latin : cyrillic).IsTarget(words[i]);
            var key = WordKey(words[i]);
            present[key >> 6] |= 1UL << (key & 63);
        }
        // Every clue is kept — remarks, patterns and a denied skill alike: two different ones in a text corroborate
        // each other (RudenessVerdict.Confidence).
        if (!FindPatterns(ref state, words, first, last, remarkIndex, present))
            FindScareQuotes(ref state, words, first, last);
        if (question && addressed)
            FindPatterns(ref state, words, first, last, implicitIndex, present);
        FindDeniedSkill(ref state, words, first, last, question, addressed);
    }

    /// <summary>Every pattern whose every group is in the sentence, found at <see cref="RudenessLexicon.ImplicitInsultConfidence"/>.</summary>
    private bool FindPatterns(ref State state, WordForms words, int first, int last, PatternIndex index, ReadOnlySpan<ulong> present)
    {
        var found = false;
        var patterns = index.Patterns;
        Span<ulong> chosen = stackalloc ulong[(patterns.Length + 63) >> 6];
        index.Choose(present, chosen);
        for (var w = 0; w < chosen.Length; w++)
        {
            for (var bits = chosen[w]; bits != 0; bits &= bits - 1)
            {
                var pattern = patterns[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)];
                int from = int.MaxValue, to = -1;
                var all = true;
                foreach (var group in pattern.Groups)
                {
                    if (!FindGroup(ref state, words, first, last, group, present, out var start, out var end))
                    {
                        all = false;
                        break;
                    }
                    from = Math.Min(from, start);
                    to = Math.Max(to, end);
                }
                if (all)
                {
                    state.Add(RudenessKind.Insult, state.Words[from].Start, state.Words[to].End, pattern.Source, lexicon.ImplicitInsultConfidence);
                    found = true;
                }
            }
        }
        return found;
    }

    private static bool FindGroup(ref State state, WordForms words, int first, int last, ImplicitForm[] group, ReadOnlySpan<ulong> present, out int start, out int end)
    {
        foreach (var form in group)
        {
            if (!form.MayBeginIn(present))
                continue;
            for (var i = first; i + form.Words.Length - 1 <= last; i++)
            {
                var fits = true;
                for (var k = 0; k < form.Words.Length && fits; k++)
                {
                    var (text, stem) = form.Words[k];
                    var word = words[i + k];
                    fits = stem ? word.StartsWith(text, StringComparison.Ordinal) : word.SequenceEqual(text);
                    fits &= k == 0 || !ClauseBreakBetween(state.Text, state.Words[i + k - 1].End, state.Words[i + k].Start);
                }
                if (fits && !InQuotes(state.Text, state.Words[i].Start))
                {
                    (start, end) = (i, i + form.Words.Length - 1);
                    return true;
                }
            }
        }
        (start, end) = (-1, -1);
        return false;
    }

    /// <summary>"Вам читать учили?", "вы там вообще читать умеете или…", "читать у вас просто некому?": a basic skill
    /// and its denial close together, in a question or after "не", addressed to people, the skill without an object
    /// ("вы умеете читать логи Exim?" and "вы умеете работать с Bitrix?" are questions).</summary>
    private void FindDeniedSkill(ref State state, WordForms words, int first, int last, bool question, bool addressed)
    {
        if (skills.Count == 0 || skillDenials.Count == 0)
            return;
        for (var i = first; i <= last; i++)
        {
            if (!skillLookup.Contains(words[i]))
                continue;
            for (var j = Math.Max(first, i - 4); j <= Math.Min(last, i + 4); j++)
            {
                if (j == i || !denialLookup.Contains(words[j]))
                    continue;
                int a = Math.Min(i, j), b = Math.Max(i, j);
                if (ClauseBreakBetween(state.Text, state.Words[a].End, state.Words[b].Start) || InQuotes(state.Text, state.Words[a].Start))
                    continue;
                var objectFree = b == last || ClauseBreakBetween(state.Text, state.Words[b].End, state.Words[b + 1].Start) || particleLookup.Contains(words[b + 1]);
                var denied = question || j > first && words[j - 1] is "не" || words[j] is "некому";
                var toPeople = addressed || words[j].EndsWith("ете", StringComparison.Ordinal) || words[j].EndsWith("ешь", StringComparison.Ordinal);
                if (objectFree && denied && toPeople)
                {
                    state.Add(RudenessKind.Insult, state.Words[a].Start, state.Words[b].End, string.Concat("skill: ", words[i]), lexicon.ImplicitInsultConfidence);
                    return;
                }
            }
        }
    }

    /// <summary>The staff in scare quotes, said to be the reader's: "ваши «специалисты»", "ваш «инженер» не отличит…" —
    /// the writer denies them the name. Unsure: a quoted job title may also be a field or a tariff.</summary>
    private bool FindScareQuotes(ref State state, WordForms words, int first, int last)
    {
        for (var i = Math.Max(first, 1); i <= last; i++)
        {
            if (words.IsLatin(i) || !cyrillic.IsStaff(words[i]) || !QuotedAlone(state.Text, state.Words[i].Start, state.Words[i].End)
                || !words[i - 1].StartsWith("ваш", StringComparison.Ordinal) && words[i - 1] is not ("эти" or "этот" or "эта" or "этих" or "этим" or "этими" or "этого" or "этому"))
                continue;
            state.Add(RudenessKind.Insult, state.Words[i - 1].Start, state.Words[i].End, string.Concat("«", words[i], "»"), lexicon.ImplicitInsultConfidence);
            return true;
        }
        return false;
    }

    /// <summary>Inside «…» on the same line: a product or a title, not the writer's words.</summary>
    private static bool InQuotes(string text, int position)
    {
        for (var p = position - 1; p >= 0 && text[p] != '\n'; p--)
        {
            if (text[p] == '»')
                return false;
            if (text[p] == '«')
                return true;
        }
        return false;
    }
}
