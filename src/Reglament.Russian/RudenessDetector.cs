using System.Buffers;

namespace Reglament.Russian;

/// <summary>Finds obscene language and insults aimed at people in Russian and mixed Russian/English text, through
/// obfuscation (Latin look-alikes, digits for letters, inserted symbols and spaces, repeated letters, masks like
/// <c>х**ня</c>, transliteration), without flagging ordinary words that share letters with obscene roots.
/// <para>One pass over the text: whitespace-separated chunks (URLs, paths, e-mail addresses, markup are skipped whole),
/// split into words at punctuation; each word is de-obfuscated into a stack buffer and looked up in tables built once
/// from the <see cref="RudenessLexicon"/> — no regular expressions, no allocation for ordinary words. Thread-safe.</para></summary>
public sealed class RudenessDetector
{
    private readonly RudenessLexicon lexicon;
    private readonly CompiledLexicon cyrillic;
    private readonly CompiledLexicon latin;

    /// <summary>A detector over the given word lists.</summary>
    public RudenessDetector(RudenessLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        // Words are de-obfuscated on the stack: the limit keeps that bounded.
        ArgumentOutOfRangeException.ThrowIfLessThan(lexicon.MaxWordLength, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lexicon.MaxWordLength, 128);
        ArgumentOutOfRangeException.ThrowIfNegative(lexicon.ContextWords);
        this.lexicon = lexicon;
        cyrillic = new CompiledLexicon(lexicon, latin: false);
        latin = new CompiledLexicon(lexicon, latin: true);
    }

    /// <summary>A shared detector over <see cref="RudenessLexicon.Default"/>.</summary>
    public static RudenessDetector Default { get; } = new(RudenessLexicon.Default);

    private readonly record struct Word(int Start, int End, bool SingleLetter);

    private enum Hit
    {
        None,
        Obscene,
        StrongInsult,
        WeakInsult,
    }

    /// <summary>Every offending fragment of <paramref name="text"/> with its position.</summary>
    public RudenessVerdict Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new State(text);
        try
        {
            Scan(ref state);
            ResolveInsults(ref state);
            JoinSpacedLetters(ref state);
            if (state.Found is null)
                return RudenessVerdict.Clean;
            state.Found.Sort((a, b) => a.Start.CompareTo(b.Start));
            return new RudenessVerdict(state.Found);
        }
        finally
        {
            state.Return();
        }
    }

    private struct State(string text)
    {
        public readonly string Text = text;
        public Word[] Words = ArrayPool<Word>.Shared.Rent(Math.Max(16, text.Length / 4));
        public int WordCount;
        public List<RudeFragment>? Found;
        public List<(int Word, bool Strong, string Source)>? Insults;
        public bool OpenEmphasis;

        public void AddWord(Word word)
        {
            if (WordCount == Words.Length)
            {
                var bigger = ArrayPool<Word>.Shared.Rent(Words.Length * 2);
                Words.AsSpan(0, WordCount).CopyTo(bigger);
                ArrayPool<Word>.Shared.Return(Words);
                Words = bigger;
            }
            Words[WordCount++] = word;
        }

        public void Add(RudenessKind kind, int start, int end, string source)
        {
            Found ??= [];
            foreach (var f in Found)
            {
                if (start < f.Start + f.Length && f.Start < end)
                    return;
            }
            Found.Add(new RudeFragment(kind, start, end - start, Text[start..end], source));
        }

        public readonly void Return() => ArrayPool<Word>.Shared.Return(Words);
    }

    private void Scan(ref State state)
    {
        var text = state.Text;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            var chunkStart = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
                i++;
            if (i > chunkStart && !IsTechnical(text.AsSpan(chunkStart, i - chunkStart)))
                ScanChunk(ref state, chunkStart, i);
        }
    }

    /// <summary>URLs, paths, e-mail addresses, markup, key=value pairs: not language, and full of accidental letter runs.</summary>
    private static bool IsTechnical(ReadOnlySpan<char> chunk)
    {
        if (chunk.IndexOfAny('/', '\\', '=') >= 0 || chunk.IndexOfAny('<', '>', '{') >= 0)
            return true;
        var at = chunk.IndexOf('@');
        return at >= 0 && chunk[at..].IndexOf('.') > 1;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || RussianText.IsSoftSeparator(c) || RussianText.IsMask(c) || RussianText.IsInvisible(c) || c is '@' or '$';

    private void ScanChunk(ref State state, int start, int end)
    {
        var text = state.Text;
        var i = start;
        while (i < end)
        {
            while (i < end && !IsWordChar(text[i]))
                i++;
            var tokenStart = i;
            while (i < end && IsWordChar(text[i]))
                i++;
            if (i > tokenStart)
                ScanToken(ref state, tokenStart, i);
        }
    }

    private void ScanToken(ref State state, int start, int end)
    {
        var text = state.Text;
        // Edges: "**важно**", "-слово-", "бля..." — but a trailing mask ("бл*") hides letters and is kept.
        var opens = false;
        while (start < end && (RussianText.IsSoftSeparator(text[start]) || RussianText.IsMask(text[start]) || RussianText.IsInvisible(text[start])))
            opens |= RussianText.IsMask(text[start++]);
        // "**SSH**", "**Перед … SSH**": masks that open and close a span are Markdown emphasis, not hidden letters.
        var closes = end > start && RussianText.IsMask(text[end - 1]) && (opens || state.OpenEmphasis);
        while (end > start && (RussianText.IsSoftSeparator(text[end - 1]) || RussianText.IsInvisible(text[end - 1]) || closes && RussianText.IsMask(text[end - 1])))
            end--;
        state.OpenEmphasis = closes ? false : opens || state.OpenEmphasis;
        if (end <= start)
            return;
        var token = text.AsSpan(start, end - start);
        if (token.IndexOfAny('*', '#', '%') >= 0)
        {
            ScanMasked(ref state, start, end);
            return;
        }
        // "@" reads as "а" ("пизд@") but also hides other letters ("бл@дь"): try it both ways.
        if (token.Contains('@'))
            ScanMasked(ref state, start, end);

        var parts = 0;
        var partStart = start;
        for (var i = start; i <= end; i++)
        {
            if (i < end && !RussianText.IsSoftSeparator(text[i]))
                continue;
            if (i > partStart)
            {
                parts++;
                var wordIndex = state.WordCount;
                var single = CountLetters(text.AsSpan(partStart, i - partStart)) == 1 && i - partStart <= 2;
                state.AddWord(new Word(partStart, i, single));
                Record(ref state, Analyze(text.AsSpan(partStart, i - partStart), out var source), partStart, i, source, wordIndex);
            }
            partStart = i + 1;
        }
        // "х.у.й", "пи-зд-ец": the word with the separators taken out.
        if (parts > 1 && token.Length <= lexicon.MaxWordLength * 2)
        {
            var hit = Analyze(token, out var source);
            if (hit == Hit.Obscene || hit == Hit.StrongInsult)
                Record(ref state, hit, start, end, source, -1);
        }
    }

    private static void Record(ref State state, Hit hit, int start, int end, string? source, int wordIndex)
    {
        switch (hit)
        {
            case Hit.None:
                return;
            case Hit.Obscene:
                state.Add(RudenessKind.Obscene, start, end, source!);
                return;
            case Hit.StrongInsult or Hit.WeakInsult when wordIndex < 0:
                state.Add(RudenessKind.Insult, start, end, source!);
                return;
            case Hit.StrongInsult or Hit.WeakInsult:
                (state.Insults ??= []).Add((wordIndex, hit == Hit.StrongInsult, source!));
                return;
        }
    }

    private static int CountLetters(ReadOnlySpan<char> s)
    {
        var letters = 0;
        foreach (var c in s)
        {
            if (char.IsLetter(c))
                letters++;
        }
        return letters;
    }

    /// <summary>One word (soft separators and invisible characters inside are dropped): de-obfuscated and looked up.</summary>
    private Hit Analyze(ReadOnlySpan<char> raw, out string? source)
    {
        source = null;
        if (raw.Length > lexicon.MaxWordLength * 2)
            return Hit.None;
        Span<char> clean = stackalloc char[raw.Length];
        int length = 0, letters = 0, digits = 0;
        bool hasCyrillic = false, hasLatin = false, hexOnly = true;
        foreach (var c in raw)
        {
            if (RussianText.IsInvisible(c) || RussianText.IsSoftSeparator(c))
                continue;
            clean[length++] = c;
            if (char.IsDigit(c))
                digits++;
            else if (char.IsLetter(c))
            {
                letters++;
                hasCyrillic |= RussianText.IsCyrillic(c);
                hasLatin |= RussianText.IsLatin(c);
            }
            hexOnly &= char.IsAsciiHexDigit(c);
        }
        // Numbers, versions, hashes and identifiers are not words: "2024г", "e6a1f0b2", "x86".
        if (letters == 0 || length > lexicon.MaxWordLength || digits > letters || hexOnly && digits > 0 && length >= 6)
            return Hit.None;
        var word = clean[..length];
        Span<char> buffer = stackalloc char[length * 2 + 2];
        if (hasCyrillic || !hasLatin)
        {
            var variants = hasLatin ? Canon.VariantCount(word) : 1;
            for (var v = 0; v < variants; v++)
            {
                var n = Canon.Cyrillic(word, buffer, v);
                var hit = Lookup(cyrillic, buffer[..n], out source);
                if (hit != Hit.None)
                    return hit;
            }
            return Hit.None;
        }
        var m = Canon.Latin(word, buffer);
        return Lookup(latin, buffer[..m], out source);
    }

    private static Hit Lookup(CompiledLexicon table, ReadOnlySpan<char> word, out string? source)
    {
        source = table.MatchObscene(word);
        if (source is not null)
            return Hit.Obscene;
        source = table.MatchInsult(word, out var strong);
        return source is null ? Hit.None : strong ? Hit.StrongInsult : Hit.WeakInsult;
    }

    /// <summary>"х**ня", "бл*", "п#здец", "f*ck": the letters that are left must fit a known obscene word, the first
    /// letter must be visible and at least two letters must be.</summary>
    private void ScanMasked(ref State state, int start, int end)
    {
        var token = state.Text.AsSpan(start, end - start);
        if (token.Length > lexicon.MaxWordLength * 2)
            return;
        Span<char> clean = stackalloc char[token.Length];
        int length = 0, letters = 0;
        bool hasCyrillic = false;
        foreach (var c in token)
        {
            if (RussianText.IsInvisible(c) || RussianText.IsSoftSeparator(c))
                continue;
            clean[length++] = c;
            if (char.IsLetter(c))
            {
                letters++;
                hasCyrillic |= RussianText.IsCyrillic(c);
            }
        }
        if (letters < 2 || length > lexicon.MaxWordLength)
            return;
        var word = clean[..length];
        var table = hasCyrillic ? cyrillic : latin;
        // Pieces between masks, each de-obfuscated like a word.
        var pieces = new List<string>(3);
        var trailingMask = IsMaskHere(word[^1]);
        Span<char> buffer = stackalloc char[length * 2 + 2];
        var from = 0;
        for (var i = 0; i <= word.Length; i++)
        {
            if (i < word.Length && !IsMaskHere(word[i]))
                continue;
            if (i > from)
            {
                var n = hasCyrillic ? Canon.Cyrillic(word[from..i], buffer, 0) : Canon.Latin(word[from..i], buffer);
                pieces.Add(new string(buffer[..n]));
            }
            from = i + 1;
        }
        if (pieces.Count == 0)
            return;
        foreach (var (form, source) in table.MaskedForms)
        {
            if (Fits(form, pieces, trailingMask))
            {
                state.AddWord(new Word(start, end, false));
                state.Add(RudenessKind.Obscene, start, end, source);
                return;
            }
        }
        // A masked word that is not a known obscene word may still contain a root in a visible piece ("на*уй" aside).
        foreach (var piece in pieces)
        {
            if (table.MatchObscene(piece) is { } source)
            {
                state.Add(RudenessKind.Obscene, start, end, source);
                return;
            }
        }
    }

    private static bool IsMaskHere(char c) => RussianText.IsMask(c) || c == '@';

    private static bool Fits(string form, List<string> pieces, bool trailingMask)
    {
        if (!form.StartsWith(pieces[0], StringComparison.Ordinal))
            return false;
        var position = pieces[0].Length;
        for (var p = 1; p < pieces.Count; p++)
        {
            // At least one hidden letter before each later piece.
            var index = form.IndexOf(pieces[p], position + 1, StringComparison.Ordinal);
            if (index < 0)
                return false;
            position = index + pieces[p].Length;
        }
        return trailingMask ? position < form.Length : position == form.Length;
    }

    /// <summary>An insult counts when aimed at the reader or at people ("вы", "ваши админы"), and a strong one also
    /// when aimed at nobody in particular; not when the writer calls himself names ("я идиот, сам удалил базу").</summary>
    private void ResolveInsults(ref State state)
    {
        if (state.Insults is null)
            return;
        foreach (var (index, strong, source) in state.Insults)
        {
            bool target = false, self = false;
            var from = Math.Max(0, index - lexicon.ContextWords);
            var to = Math.Min(state.WordCount - 1, index + lexicon.ContextWords);
            for (var j = from; j <= to; j++)
            {
                if (j == index)
                    continue;
                var neighbour = state.Words[j];
                var (word, isLatin) = Simple(state.Text.AsSpan(neighbour.Start, neighbour.End - neighbour.Start));
                var table = isLatin ? latin : cyrillic;
                target |= table.IsTarget(word);
                // "я идиот", "сам дебил" — but not "Недоумки, я же писал": the writer must be in the same clause.
                self |= table.IsSelf(word) && !ClauseBreakBetween(state.Text, state.Words[Math.Min(j, index)].End, state.Words[Math.Max(j, index)].Start);
            }
            if (target || strong && !self)
            {
                var w = state.Words[index];
                state.Add(RudenessKind.Insult, w.Start, w.End, source);
            }
        }
    }

    private static bool ClauseBreakBetween(string text, int from, int to) =>
        from < to && text.AsSpan(from, to - from).IndexOfAny(ClauseBreaks) >= 0;

    private static readonly SearchValues<char> ClauseBreaks = SearchValues.Create(",.!?;:—()");

    private static (string Word, bool IsLatin) Simple(ReadOnlySpan<char> raw)
    {
        if (raw.Length > 64)
            return ("", false);
        Span<char> buffer = stackalloc char[raw.Length * 2 + 2];
        var hasCyrillic = false;
        foreach (var c in raw)
            hasCyrillic |= RussianText.IsCyrillic(c);
        var n = hasCyrillic ? Canon.Cyrillic(raw, buffer, 0) : Canon.Latin(raw, buffer);
        return (new string(buffer[..n]), !hasCyrillic);
    }

    /// <summary>"х у й", "б л я д ь": three or more one-letter words in a row, read as one word.</summary>
    private void JoinSpacedLetters(ref State state)
    {
        Span<char> joined = stackalloc char[2 * lexicon.MaxWordLength];
        var i = 0;
        while (i < state.WordCount)
        {
            if (!state.Words[i].SingleLetter)
            {
                i++;
                continue;
            }
            var j = i;
            while (j + 1 < state.WordCount && state.Words[j + 1].SingleLetter && state.Words[j + 1].Start - state.Words[j].End <= 3)
                j++;
            if (j - i >= 2 && (j - i + 1) * 2 <= joined.Length)
            {
                var n = 0;
                for (var k = i; k <= j; k++)
                {
                    foreach (var c in state.Text.AsSpan(state.Words[k].Start, state.Words[k].End - state.Words[k].Start))
                        joined[n++] = c;
                }
                var hit = Analyze(joined[..n], out var source);
                if (hit is Hit.Obscene)
                    state.Add(RudenessKind.Obscene, state.Words[i].Start, state.Words[j].End, source!);
                else if (hit is Hit.StrongInsult)
                    state.Add(RudenessKind.Insult, state.Words[i].Start, state.Words[j].End, source!);
            }
            i = j + 1;
        }
    }
}
