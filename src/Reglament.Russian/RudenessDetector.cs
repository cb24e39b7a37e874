using System.Buffers;

namespace Reglament.Russian;

/// <summary>Finds obscene language and insults aimed at people in Russian and mixed Russian/English text, through
/// obfuscation (Latin look-alikes, digits for letters, inserted symbols and spaces, repeated letters, masks like
/// <c>х**ня</c>, transliteration), without flagging ordinary words that share letters with obscene roots.
/// <para>One pass over the text: whitespace-separated chunks (URLs, paths, e-mail addresses, markup are skipped whole),
/// split into words at punctuation; each word is de-obfuscated into a stack buffer and looked up in tables built once
/// from the <see cref="RudenessLexicon"/> — no regular expressions, no allocation for ordinary words. Thread-safe.</para></summary>
public sealed partial class RudenessDetector
{
    private readonly RudenessLexicon lexicon;
    private readonly CompiledLexicon cyrillic;
    private readonly CompiledLexicon latin;
    private readonly string[] nameEndings;
    private readonly string[] patronymicEndings;
    private readonly string[] literalContext;
    private readonly (string Verb, string Target, string Source)[] dismissals;

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
        patronymicEndings = [.. lexicon.PatronymicEndings.SelectMany(e => CompiledLexicon.Expand(Fold(e))).Where(e => e.Length > 0)];
        nameEndings = [.. lexicon.NameEndings.SelectMany(e => CompiledLexicon.Expand(Fold(e))).Where(e => e.Length > 0), .. patronymicEndings];
        dismissals = [.. lexicon.Dismissals
            .Select(d => (Source: d, Words: Fold(d).Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(d => d.Words.Length == 2)
            .Select(d => (Canon.Collapse(d.Words[0]), Canon.Collapse(d.Words[1]), d.Source))];
        literalContext = [.. lexicon.LiteralContext.Select(e => Canon.Collapse(Fold(e))).Where(e => e.Length > 0)];
        reader = [.. lexicon.Reader.Select(e => Canon.Collapse(Fold(e)))];
        thirdPersons = [.. lexicon.ThirdPersons.Select(e => Canon.Collapse(Fold(e)))];
        implicitInsults = [.. lexicon.ImplicitInsults.Select(ImplicitPattern.Parse).Where(p => p.Groups.Length > 0)];
        skills = [.. lexicon.Skills.SelectMany(e => CompiledLexicon.Expand(Canon.Collapse(Fold(e))))];
        skillDenials = [.. lexicon.SkillDenials.SelectMany(e => CompiledLexicon.Expand(Canon.Collapse(Fold(e))))];
        particles = [.. lexicon.Particles.Select(e => Canon.Collapse(Fold(e)))];
    }

    private static string Fold(string s) => s.Trim().ToLowerInvariant().Replace('ё', 'е');

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
            FindDismissals(ref state);
            JoinSpacedLetters(ref state);
            FindImplicitInsults(ref state);
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

        public void Add(RudenessKind kind, int start, int end, string source, double confidence = RudenessConfidence.Certain)
        {
            Found ??= [];
            foreach (var f in Found)
            {
                if (start < f.Start + f.Length && f.Start < end)
                    return;
            }
            Found.Add(new RudeFragment(kind, start, end - start, Text[start..end], source) { Confidence = confidence });
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
        // "web02", "mx.yandex.ru", "OpenSSH_9.6", UUIDs, part numbers: identifiers, never read as words.
        if (IsIdentifier(token))
            return;
        // "Козлова", "Олеговне", "Сукачёва": names that merely contain the letters — but not an obscene word that
        // merely has a surname ending ("Мудаков", "Сукин"): its root starts the word.
        if (IsName(text, start, end))
        {
            state.AddWord(new Word(start, end, false));
            if (Analyze(token, out var nameSource, out var at) == Hit.Obscene && at == 0)
                state.Add(RudenessKind.Obscene, start, end, nameSource!);
            return;
        }
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

    /// <summary>A token without Cyrillic letters that mixes Latin letters and digits ("web-02", "huy4", "srv-mx3", hex,
    /// UUIDs, part numbers) or joins two or more longer parts with "." or "_" ("mx.yandex.ru", "node_local"). Masked
    /// words ("f*ck") and spaced-out letters ("h.u.y") are not identifiers; digits in Cyrillic words ("бл9дь") stay letters.</summary>
    private static bool IsIdentifier(ReadOnlySpan<char> token)
    {
        bool latin = false, digit = false, dotted = false;
        int longParts = 0, part = 0;
        foreach (var c in token)
        {
            if (RussianText.IsCyrillic(c) || RussianText.IsMask(c))
                return false;
            if (c is '.' or '_')
            {
                dotted = true;
                longParts += part >= 2 ? 1 : 0;
                part = 0;
                continue;
            }
            latin |= char.IsAsciiLetter(c);
            digit |= char.IsAsciiDigit(c);
            part += char.IsLetterOrDigit(c) ? 1 : 0;
        }
        longParts += part >= 2 ? 1 : 0;
        return latin && digit || dotted && longParts >= 2;
    }

    /// <summary>A capitalised Cyrillic word with a surname or patronymic ending ("Козлова", "Сукачёва", "Олеговне"): a
    /// patronymic anywhere, a surname in the middle of a sentence. Obfuscated spellings (digits, Latin letters) are not names.</summary>
    private bool IsName(string text, int start, int end)
    {
        var length = end - start;
        if (length < 5 || length > 64 || !RussianText.IsCyrillic(text[start]) || !char.IsUpper(text[start]))
            return false;
        Span<char> lower = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            var c = text[start + i];
            // "Петрова-Сукачёва": a capital only at the start of each part.
            if (c == '-' && i > 0 && i < length - 1)
            {
                lower[i] = c;
                continue;
            }
            if (!RussianText.IsCyrillic(c) || !char.IsLetter(c) || char.IsUpper(c) && i > 0 && text[start + i - 1] != '-')
                return false;
            c = char.ToLowerInvariant(c);
            lower[i] = c == 'ё' ? 'е' : c;
        }
        if (HasEnding(lower, patronymicEndings))
            return true;
        if (!HasEnding(lower, nameEndings))
            return false;
        var p = start - 1;
        while (p >= 0 && (char.IsWhiteSpace(text[p]) || text[p] is '«' or '"' or '(' or '„' or '“' or '\''))
            p--;
        return p >= 0 && text[p] is not ('.' or '!' or '?' or '…');
    }

    private static bool HasEnding(ReadOnlySpan<char> word, string[] endings)
    {
        foreach (var ending in endings)
        {
            // At least three letters of stem: "Козл-ова", "Олег-овна".
            if (word.Length >= ending.Length + 3 && word.EndsWith(ending, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>«Идиот», "Идиот" (a title): a capitalised insult word that opens a short quotation without a comma,
    /// "!" or "?" before it closes — not quoted speech.</summary>
    private static bool IsTitle(string text, Word word)
    {
        if (!char.IsUpper(text[word.Start]))
            return false;
        var p = word.Start - 1;
        while (p >= 0 && char.IsWhiteSpace(text[p]))
            p--;
        if (p < 0 || text[p] is not ('«' or '"' or '„' or '“'))
            return false;
        var close = text.AsSpan(word.End).IndexOfAny("»\"“”");
        return close >= 0 && close <= 60 && text.AsSpan(word.End, close).IndexOfAny(",!?") < 0;
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
    private Hit Analyze(ReadOnlySpan<char> raw, out string? source) => Analyze(raw, out source, out _);

    /// <summary>As <see cref="Analyze(ReadOnlySpan{char}, out string?)"/>, with where an obscene root starts.</summary>
    private Hit Analyze(ReadOnlySpan<char> raw, out string? source, out int position)
    {
        source = null;
        position = 0;
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
                var hit = Lookup(cyrillic, buffer[..n], out source, out position);
                if (hit != Hit.None)
                    return hit;
            }
            return Hit.None;
        }
        var m = Canon.Latin(word, buffer);
        return Lookup(latin, buffer[..m], out source, out position);
    }

    private static Hit Lookup(CompiledLexicon table, ReadOnlySpan<char> word, out string? source, out int position)
    {
        source = table.MatchObscene(word, out position);
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
            // At least one hidden letter before each later piece — and room for it in the form.
            if (position + 1 > form.Length)
                return false;
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
            var w = state.Words[index];
            if (IsTitle(state.Text, w) || index > 0 && IsLiteral(ref state, index - 1)
                || index + 1 < state.WordCount && !ClauseBreakBetween(state.Text, w.End, state.Words[index + 1].Start) && IsLiteral(ref state, index + 1))
                continue;
            bool target = false, pronoun = false, self = false;
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
                // "Ваш инженер Сергей ответил отпиской — он просто клоун": "он" stands for someone of the other side.
                pronoun |= !strong && thirdPersons.Contains(word) && HasAntecedent(ref state, j);
                // "я идиот", "сам дебил" — but not "Недоумки, я же писал": the writer must be in the same clause.
                self |= table.IsSelf(word) && !ClauseBreakBetween(state.Text, state.Words[Math.Min(j, index)].End, state.Words[Math.Max(j, index)].Start);
            }
            if (target || strong && !self)
                state.Add(RudenessKind.Insult, w.Start, w.End, source);
            else if (pronoun)
                state.Add(RudenessKind.Insult, w.Start, w.End, source, lexicon.ThirdPersonConfidence);
        }
    }

    /// <summary>A person of the other side ("ваш инженер", "поддержка" — a target that is not the reader) named up to
    /// <see cref="RudenessLexicon.AntecedentWords"/> words before a third-person pronoun.</summary>
    private bool HasAntecedent(ref State state, int pronoun)
    {
        for (var j = Math.Max(0, pronoun - lexicon.AntecedentWords); j < pronoun; j++)
        {
            var (word, isLatin) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
            if ((isLatin ? latin : cyrillic).IsTarget(word) && !reader.Contains(word))
                return true;
        }
        return false;
    }

    /// <summary>"П0шли вы!", "Да пошли вы со своим хостингом": the verb opens a clause and the person follows it
    /// ("вы пошли в панель" is not one).</summary>
    private void FindDismissals(ref State state)
    {
        if (dismissals.Length == 0)
            return;
        for (var i = 0; i + 1 < state.WordCount; i++)
        {
            var verbWord = state.Words[i];
            var targetWord = state.Words[i + 1];
            if (ClauseBreakBetween(state.Text, verbWord.End, targetWord.Start))
                continue;
            var (verb, _) = Simple(state.Text.AsSpan(verbWord.Start, verbWord.End - verbWord.Start));
            var (target, _) = Simple(state.Text.AsSpan(targetWord.Start, targetWord.End - targetWord.Start));
            foreach (var (v, t, source) in dismissals)
            {
                if (verb != v || target != t)
                    continue;
                var opens = i == 0 || ClauseBreakBetween(state.Text, state.Words[i - 1].End, verbWord.Start);
                if (!opens)
                {
                    var (previous, _) = Simple(state.Text.AsSpan(state.Words[i - 1].Start, state.Words[i - 1].End - state.Words[i - 1].Start));
                    opens = previous is "да" or "ну" or "а" or "и";
                }
                if (opens)
                    state.Add(RudenessKind.Insult, verbWord.Start, targetWord.End, source);
                break;
            }
        }
    }

    /// <summary>"строительные козлы", "деревянных козлов", "козлы малярные": the word next to it makes the insult word literal.</summary>
    private bool IsLiteral(ref State state, int index)
    {
        var before = state.Words[index];
        var (word, _) = Simple(state.Text.AsSpan(before.Start, before.End - before.Start));
        foreach (var stem in literalContext)
        {
            if (word.StartsWith(stem, StringComparison.Ordinal))
                return true;
        }
        return false;
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
