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
    private readonly string[] literalDomains;
    private readonly string[] animalDomains;
    private readonly HashSet<string> glue;
    private readonly HashSet<string> firstNames;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> firstNameLookup;

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
        literalDomains = [.. lexicon.LiteralDomains.Select(e => Canon.Collapse(Fold(e))).Where(e => e.Length > 0)];
        animalDomains = [.. RudenessLexicon.AnimalDomainStems.Select(e => Canon.Collapse(Fold(e))).Where(e => e.Length > 0)];
        glue = [.. lexicon.Glue.Select(e => Canon.Collapse(Fold(e)))];
        firstNames = new HashSet<string>(lexicon.FirstNames.Select(e => Canon.Collapse(Fold(e))), StringComparer.Ordinal);
        firstNameLookup = firstNames.GetAlternateLookup<ReadOnlySpan<char>>();
        demeaningRemarks = [.. lexicon.DemeaningRemarks.Select(ImplicitPattern.Parse).Where(p => p.Groups.Length > 0)];
        CompileTriggers();
        insultModel = lexicon.UseInsultModel ? InsultModel.Default : null;
    }

    /// <summary>The learned model's pass (<see cref="InsultModel"/>): when nothing certain was found, every sentence of
    /// 3 to 60 words that the model reads as an insult is reported unsure. Allocates nothing for a clean text.</summary>
    private void FindLearnedInsults(ref State state)
    {
        if (insultModel is null)
            return;
        if (state.Found is { } found)
        {
            foreach (var f in found)
            {
                if (f.Confidence >= RudenessConfidence.Certain)
                    return;
            }
        }
        var text = state.Text.AsSpan();
        var position = 0;
        while (InsultModel.NextSentence(text, ref position, out var start, out var end))
        {
            // Longer "sentences" are logs and run-on text: the model was trained on sentences, its sums grow with length.
            if (!HasCyrillic(text[start..end]))
                continue;
            var probability = insultModel.Score(text[start..end], MaxModelWords, out var words);
            if (words is >= 3 and <= MaxModelWords && probability >= lexicon.InsultModelThreshold)
            {
                while (end > start && char.IsWhiteSpace(text[end - 1]))
                    end--;
                state.Add(RudenessKind.Insult, start, end, LearnedEntry, RudenessConfidence.Learned);
            }
        }
    }

    private const int MaxModelWords = 60;

    private static bool HasCyrillic(ReadOnlySpan<char> sentence)
    {
        foreach (var c in sentence)
        {
            if (c is >= 'а' and <= 'я' or >= 'А' and <= 'Я' or 'ё' or 'Ё')
                return true;
        }
        return false;
    }

    /// <summary>The lexicon entry of a finding of the learned model.</summary>
    public const string LearnedEntry = "(insult model)";

    private readonly InsultModel? insultModel;

    private static string Fold(string s) => s.Trim().ToLowerInvariant().Replace('ё', 'е');

    /// <summary>A shared detector over <see cref="RudenessLexicon.Default"/>.</summary>
    public static RudenessDetector Default { get; } = new(RudenessLexicon.Default);

    private readonly record struct Word(int Start, int End, bool SingleLetter);

    private enum Hit
    {
        None,
        Obscene,
        Insult,
    }

    /// <summary>Every offending fragment of <paramref name="text"/> with its position.</summary>
    public RudenessVerdict Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new State(text);
        try
        {
            Scan(ref state);
            ReviewObscene(ref state);
            ResolveInsults(ref state);
            FindDismissals(ref state);
            JoinSpacedLetters(ref state);
            FindImplicitInsults(ref state);
            FindLearnedInsults(ref state);
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

    /// <summary>One buffer per thread and element type, kept between calls: clean text allocates nothing once a thread
    /// has read a text as long — unlike <see cref="ArrayPool{T}.Shared"/>, whose buffers a gen-2 collection may trim.
    /// Buffers over 64 K elements (a whole mailbox in one call) go to the shared pool rather than staying per thread.</summary>
    private static class ThreadBuffer<T>
    {
        private const int Largest = 1 << 16;

        [ThreadStatic]
        private static T[]? cached;

        public static T[] Rent(int minimum)
        {
            if (minimum > Largest)
                return ArrayPool<T>.Shared.Rent(minimum);
            var buffer = cached;
            if (buffer is not null && buffer.Length >= minimum)
            {
                cached = null;
                return buffer;
            }
            return new T[Math.Max(minimum, 256)];
        }

        public static void Return(T[] buffer)
        {
            if (buffer.Length > Largest)
                ArrayPool<T>.Shared.Return(buffer);
            else if (cached is null || cached.Length < buffer.Length)
                cached = buffer;
        }
    }

    private struct State(string text)
    {
        public readonly string Text = text;
        public Word[] Words = ThreadBuffer<Word>.Rent(Math.Max(16, text.Length / 4));
        public int WordCount;
        public List<RudeFragment>? Found;
        public List<(int Word, InsultClass Class, string Source)>? Insults;
        public bool OpenEmphasis;
        public bool InTag;

        public void AddWord(Word word)
        {
            if (WordCount == Words.Length)
            {
                var bigger = ThreadBuffer<Word>.Rent(Words.Length * 2);
                Words.AsSpan(0, WordCount).CopyTo(bigger);
                ThreadBuffer<Word>.Return(Words);
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

        public readonly void Return() => ThreadBuffer<Word>.Return(Words);
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
            if (i > chunkStart && IsHexDumpLine(text, chunkStart, i))
            {
                // The ASCII column of a hex dump ("..HuY ....", "MudD....") is bytes, not words: the rest of the line is skipped.
                var lineEnd = text.IndexOf('\n', i);
                i = lineEnd < 0 ? text.Length : lineEnd;
                continue;
            }
            if (i > chunkStart)
                ScanMarkup(ref state, chunkStart, i);
        }
    }

    /// <summary>A line of <c>xxd</c> or <c>hexdump -C</c>: it opens with an offset of six or more hex digits (a colon
    /// after it at most), and a group of hex digits follows ("00000010: 0010 0000 e84b …", "00000010  00 10 …").</summary>
    private static bool IsHexDumpLine(string text, int start, int end)
    {
        var offset = text.AsSpan(start, end - start).TrimEnd(':');
        if (offset.Length < 6 || offset.Length > 16 || offset.ContainsAnyExcept(HexDigits))
            return false;
        var lineStart = start == 0 ? 0 : text.LastIndexOf('\n', start - 1) + 1;
        if (!text.AsSpan(lineStart, start - lineStart).IsWhiteSpace())
            return false;
        var next = end;
        while (next < text.Length && text[next] is ' ' or '\t')
            next++;
        var groupEnd = next;
        while (groupEnd < text.Length && !char.IsWhiteSpace(text[groupEnd]))
            groupEnd++;
        var group = text.AsSpan(next, groupEnd - next);
        return group.Length is >= 2 and <= 8 && !group.ContainsAnyExcept(HexDigits);
    }

    private static readonly SearchValues<char> MaskChars = SearchValues.Create("*#%№");

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>"&lt;font color=white&gt;fuck your admin": a tag is skipped, the text between tags is language (a
    /// defaced page pasted into a request is read). A "&lt;" opens a tag only before a letter, "/" or "!", and only when a
    /// "&gt;" closes it within 200 characters ("a &lt; b", "x&lt;y then" are not tags).</summary>
    private void ScanMarkup(ref State state, int start, int end)
    {
        var text = state.Text;
        var chunk = text.AsSpan(start, end - start);
        if (!state.InTag && chunk.IndexOfAny('<', '>') < 0)
        {
            if (!IsTechnical(chunk))
                ScanChunk(ref state, start, end);
            return;
        }
        var segment = start;
        for (var i = start; i <= end; i++)
        {
            var c = i < end ? text[i] : ' ';
            var opens = !state.InTag && c == '<' && i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] is '/' or '!')
                && text.AsSpan(i, Math.Min(200, text.Length - i)).IndexOf('>') > 0;
            var boundary = i == end || opens || c == '>';
            if (!boundary)
                continue;
            if (!state.InTag && i > segment && !IsTechnical(text.AsSpan(segment, i - segment)))
                ScanChunk(ref state, segment, i);
            if (opens)
                state.InTag = true;
            else if (c == '>' && i < end)
                state.InTag = false;
            segment = i + 1;
        }
    }

    /// <summary>URLs, paths, e-mail addresses, markup, key=value pairs: not language, and full of accidental letter runs.</summary>
    private static bool IsTechnical(ReadOnlySpan<char> chunk)
    {
        if (IsSpelledWithSlashes(chunk))
            return false;
        if (chunk.IndexOfAny('/', '\\', '=') >= 0 || chunk.IndexOfAny('<', '>', '{') >= 0)
            return true;
        var at = chunk.IndexOf('@');
        return at >= 0 && chunk[at..].IndexOf('.') > 1;
    }

    /// <summary>"б/л/я/т/ь": three or more single Cyrillic letters between slashes spell a word (a path has longer
    /// segments, a date digits, «б/у» two letters).</summary>
    private static bool IsSpelledWithSlashes(ReadOnlySpan<char> chunk)
    {
        var letters = 0;
        for (var i = 0; i < chunk.Length; i++)
        {
            var letter = RussianText.IsCyrillic(chunk[i]) && char.IsLetter(chunk[i]);
            if (i % 2 == 0 ? !letter : chunk[i] != '/')
                return false;
            letters += letter ? 1 : 0;
        }
        return letters >= 3 && chunk.Length % 2 == 1;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || RussianText.IsSoftSeparator(c) || RussianText.IsMask(c) || RussianText.IsInvisible(c) || c is '@' or '$';

    private void ScanChunk(ref State state, int start, int end)
    {
        var text = state.Text;
        // "3.14здец", "3,14здюлей": π read as "пи".
        var pi = text.AsSpan(start, end - start).IndexOf("14", StringComparison.Ordinal);
        if (pi >= 2)
            ScanPi(ref state, start + pi - 2, end);
        var i = start;
        while (i < end)
        {
            while (i < end && !IsWordChar(text[i]))
                i++;
            var tokenStart = i;
            // "ху!ня": an exclamation mark between two letters hides one; "ху€та": the euro sign is an «е».
            while (i < end && (IsWordChar(text[i]) || text[i] is '!' or '€' && i > tokenStart && i + 1 < end && char.IsLetter(text[i - 1]) && char.IsLetter(text[i + 1])))
                i++;
            if (i > tokenStart)
                ScanToken(ref state, tokenStart, i);
        }
    }

    private void ScanPi(ref State state, int at, int end)
    {
        var text = state.Text;
        if (text[at] != '3' || text[at + 1] is not ('.' or ',') || at + 4 >= end || !RussianText.IsCyrillic(text[at + 4])
            || at > 0 && char.IsLetterOrDigit(text[at - 1]))
            return;
        var wordEnd = at + 4;
        while (wordEnd < end && char.IsLetter(text[wordEnd]))
            wordEnd++;
        if (wordEnd - at > lexicon.MaxWordLength)
            return;
        Span<char> word = stackalloc char[wordEnd - at - 2];
        word[0] = 'п';
        word[1] = 'и';
        text.AsSpan(at + 4, wordEnd - at - 4).CopyTo(word[2..]);
        if (AnalyzeAt(word, out var source, out _) == Hit.Obscene)
            state.Add(RudenessKind.Obscene, at, wordEnd, source!);
    }

    private void ScanToken(ref State state, int start, int end)
    {
        var text = state.Text;
        // Edges: "**важно**", "-слово-", "бля..." — but a trailing mask ("бл*") hides letters and is kept.
        var opens = false;
        var leadingMasks = 0;
        while (start < end && (RussianText.IsSoftSeparator(text[start]) || RussianText.IsMask(text[start]) || RussianText.IsInvisible(text[start])))
        {
            leadingMasks = RussianText.IsMask(text[start]) ? leadingMasks + 1 : 0;
            opens |= RussianText.IsMask(text[start++]);
        }
        // "**SSH**", "**Перед … SSH**": masks that open and close a span are Markdown emphasis, not hidden letters.
        var closes = end > start && RussianText.IsMask(text[end - 1]) && (opens || state.OpenEmphasis);
        while (end > start && (RussianText.IsSoftSeparator(text[end - 1]) || RussianText.IsInvisible(text[end - 1]) || closes && RussianText.IsMask(text[end - 1])))
            end--;
        state.OpenEmphasis = closes ? false : opens || state.OpenEmphasis;
        if (end <= start)
            return;
        // "что за ***ня", "****ец": the whole root masked, only the ending shown — three or more masks, one per hidden
        // letter, and no mask later on the line: "**на сайте**", "**Не** удаляйте" are Markdown emphasis (the
        // knowledge base's articles are full of it).
        if (leadingMasks >= 3 && !closes && end - start is 2 or 3 && !MaskLaterOnLine(text, end)
            && LeadingMaskFits(text.AsSpan(start, end - start), leadingMasks) is { } hidden)
        {
            state.AddWord(new Word(start - leadingMasks, end, false));
            state.Add(RudenessKind.Obscene, start - leadingMasks, end, hidden);
            return;
        }
        var token = text.AsSpan(start, end - start);
        // "web02", "mx.yandex.ru", "OpenSSH_9.6", "hui-kit", UUIDs, part numbers: identifiers, never read as words.
        if (IsIdentifier(token))
        {
            state.AddWord(new Word(start, end, false));
            return;
        }
        // "Козлова", "Олеговне", "Сукачёва": names that merely contain the letters — but not an obscene word that
        // merely has a surname ending ("Мудаков", "Сукин"): its root starts the word.
        if (IsName(text, start, end))
        {
            state.AddWord(new Word(start, end, false));
            if (AnalyzeAt(token, out var nameSource, out var at) == Hit.Obscene && at == 0)
                state.Add(RudenessKind.Obscene, start, end, nameSource!);
            return;
        }
        if (token.ContainsAny(MaskChars) || token.Contains('!'))
        {
            ScanMasked(ref state, start, end);
            return;
        }
        // "зае...ли", "х..ня", "п…ц": a run of dots between letters hides them, like a mask.
        if (HasInnerDots(token))
            ScanMasked(ref state, start, end, dotsAreMasks: true);
        else if (SingleDotFits(token) is { } dotted)
        {
            state.AddWord(new Word(start, end, false));
            state.Add(RudenessKind.Obscene, start, end, dotted);
            return;
        }
        // "@" reads as "а" ("пизд@") but also hides other letters ("бл@дь"): try it both ways — except in "user@host"
        // ("huy@huy-thinkpad"), an address.
        var atSign = token.IndexOf('@');
        if (atSign >= 3 && token.Length - atSign > 3 && IsLatinCompound(token))
            return;
        if (atSign >= 0)
            ScanMasked(ref state, start, end);

        var parts = 0;
        var compound = IsLatinCompound(token);
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
                var hit = Analyze(text.AsSpan(partStart, i - partStart), out var source, out var kind, out var confidence);
                // "Huya" beside "huya-mirror.example", "'HUI' … прошивки Huitong": a short Latin word whose letters begin
                // a longer name or a host elsewhere in the text is that name, not a transliterated swear word.
                if (hit == Hit.Obscene && confidence < RudenessConfidence.Certain && BeginsANameElsewhere(text, partStart, i))
                    hit = Hit.None;
                if (!compound || source is null || !source.Any(RussianText.IsCyrillic))
                    Record(ref state, hit, kind, partStart, i, source, wordIndex, confidence);
            }
            partStart = i + 1;
        }
        // "х.у.й", "пи-зд-ец": the word with the separators taken out — not a compound of a Latin word and a Russian
        // one ("Ebay-магазин", "Wi-Fi-роутер"), which joined would read as look-alike letters.
        if (parts > 1 && !compound && token.Length <= lexicon.MaxWordLength * 2 && !JoinsScripts(token))
        {
            var hit = Analyze(token, out var source, out var kind, out var confidence);
            if (hit == Hit.Obscene || hit == Hit.Insult && kind == InsultClass.Strong)
                Record(ref state, hit, kind, start, end, source, -1, confidence);
        }
    }

    /// <summary>A token without Cyrillic letters that mixes Latin letters and digits ("web-02", "huy4", "srv-mx3", hex,
    /// UUIDs, part numbers) or joins two or more longer parts with "." or "_" ("mx.yandex.ru", "node_local"). Masked
    /// words ("f*ck"), spaced-out letters ("h.u.y") and leetspeak ("pi3dec", "hu1nya": one or two digits in an
    /// otherwise plain word without inner capitals) are not identifiers; digits in Cyrillic words ("бл9дь") stay letters.</summary>
    private static bool IsIdentifier(ReadOnlySpan<char> token)
    {
        bool latin = false, digit = false, dotted = false, lower = false, caseMix = false;
        int longParts = 0, part = 0, digits = 0, letters = 0;
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
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            letters += char.IsAsciiLetter(c) ? 1 : 0;
            // "aXyU8kP", "EbLy4": a capital after a small letter inside a word is a generated token, not leetspeak.
            caseMix |= char.IsAsciiLetterUpper(c) && lower;
            lower |= char.IsAsciiLetterLower(c);
            part += char.IsLetterOrDigit(c) ? 1 : 0;
        }
        longParts += part >= 2 ? 1 : 0;
        // "sh1t": one digit inside a three-letter word is leet too; "huy4", "md5", "x86" end or start with it.
        var leet = !caseMix && token.IndexOf('-') < 0 && (digits <= 2 && letters >= 4 && letters > digits * 2
            || digits == 1 && letters >= 3 && char.IsAsciiLetter(token[0]) && char.IsAsciiLetter(token[^1]));
        return latin && digit && !leet || dotted && longParts >= 2;
    }

    /// <summary>"hui-kit", "suka-mirror", "huy-thinkpad": a Latin compound with a part of three letters or more names
    /// a thing; a Russian word in Latin letters inside it is chance. "f-u-c-k" and "h.u.y" are spelled out instead.</summary>
    private static bool IsLatinCompound(ReadOnlySpan<char> token)
    {
        int part = 0, parts = 0;
        var longPart = false;
        foreach (var c in token)
        {
            if (RussianText.IsCyrillic(c))
                return false;
            if (RussianText.IsSoftSeparator(c) || c == '@')
            {
                longPart |= part >= 3;
                parts += part > 0 ? 1 : 0;
                part = 0;
                continue;
            }
            part++;
        }
        longPart |= part >= 3;
        parts += part > 0 ? 1 : 0;
        return parts > 1 && longPart;
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
            c = RussianText.ToLower(c);
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
    private static bool IsTitle(string text, Word word) => IsTitle(text, word.Start, word.End);

    private static bool IsTitle(string text, int start, int end)
    {
        if (!char.IsUpper(text[start]))
            return false;
        var p = start - 1;
        while (p >= 0 && char.IsWhiteSpace(text[p]))
            p--;
        if (p < 0 || text[p] is not ('«' or '"' or '„' or '“'))
            return false;
        var close = text.AsSpan(end).IndexOfAny("»\"“”");
        return close >= 0 && close <= 60 && text.AsSpan(end, close).IndexOfAny(",!?") < 0;
    }

    private static void Record(ref State state, Hit hit, InsultClass kind, int start, int end, string? source, int wordIndex, double confidence)
    {
        switch (hit)
        {
            case Hit.None:
                return;
            case Hit.Obscene:
                state.Add(RudenessKind.Obscene, start, end, source!, confidence);
                return;
            case Hit.Insult when wordIndex < 0:
                state.Add(RudenessKind.Insult, start, end, source!, RudenessConfidence.Doubtful);
                return;
            case Hit.Insult:
                (state.Insults ??= []).Add((wordIndex, kind, source!));
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

    private Hit Analyze(ReadOnlySpan<char> raw, out string? source, out InsultClass kind, out double confidence) =>
        Analyze(raw, out source, out _, out kind, out confidence);

    private Hit AnalyzeAt(ReadOnlySpan<char> raw, out string? source, out int position) =>
        Analyze(raw, out source, out position, out _, out _);

    /// <summary>One word (soft separators and invisible characters inside are dropped): de-obfuscated and looked up.
    /// A Russian word in Latin letters shorter than five ("huy", "suka", "hui") is also a name or an abbreviation in
    /// half the texts that have it: found, but not certain.</summary>
    private Hit Analyze(ReadOnlySpan<char> raw, out string? source, out int position, out InsultClass kind, out double confidence)
    {
        source = null;
        position = 0;
        kind = InsultClass.Strong;
        confidence = RudenessConfidence.Certain;
        if (raw.Length > lexicon.MaxWordLength * 2)
            return Hit.None;
        Span<char> clean = stackalloc char[raw.Length];
        int length = 0, letters = 0, digits = 0, cyrillicLetters = 0, latinLetters = 0;
        var hexOnly = true;
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
                cyrillicLetters += RussianText.IsCyrillic(c) ? 1 : 0;
                latinLetters += RussianText.IsLatin(c) ? 1 : 0;
            }
            hexOnly &= char.IsAsciiHexDigit(c);
        }
        // Numbers, versions, hashes and identifiers are not words: "2024г", "e6a1f0b2", "x86".
        if (letters == 0 || length > lexicon.MaxWordLength || digits > letters || hexOnly && digits > 0 && length >= 6)
            return Hit.None;
        var word = clean[..length];
        Span<char> buffer = stackalloc char[length * 2 + 2];
        if (cyrillicLetters > 0 || latinLetters == 0)
        {
            // "fuсk" with a Cyrillic "с": mostly Latin, read in Latin.
            if (latinLetters > cyrillicLetters && Canon.LatinLookalikes(word, buffer) is var l and > 0)
            {
                var hit = Lookup(latin, buffer[..l], out source, out position, out kind);
                if (hit != Hit.None)
                    return hit;
            }
            var variants = Canon.VariantCount(word);
            for (var v = 0; v < variants; v++)
            {
                var n = Canon.Cyrillic(word, buffer, v);
                var hit = Lookup(cyrillic, buffer[..n], out source, out position, out kind);
                if (hit != Hit.None)
                    return hit;
            }
            return Hit.None;
        }
        var m = Canon.Latin(word, buffer);
        var found = Lookup(latin, buffer[..m], out source, out position, out kind);
        if (found == Hit.Obscene && m < 5 && source!.Any(RussianText.IsCyrillic))
            confidence = RudenessConfidence.Doubtful;
        return found;
    }

    private static Hit Lookup(CompiledLexicon table, ReadOnlySpan<char> word, out string? source, out int position, out InsultClass kind)
    {
        kind = InsultClass.Strong;
        source = table.MatchObscene(word, out position);
        if (source is not null)
            return Hit.Obscene;
        source = table.MatchInsult(word, out kind);
        return source is null ? Hit.None : Hit.Insult;
    }

    /// <summary>"х**ня", "бл*", "п#здец", "п*здюки", "ху!ня", "f*ck": the letters that are left must fit a known obscene
    /// word, or a root must fit them with a hidden letter inside it; the first letter must be visible and at least two
    /// letters must be (three in Latin: "x*y" is algebra).</summary>
    private void ScanMasked(ref State state, int start, int end, bool dotsAreMasks = false)
    {
        var token = state.Text.AsSpan(start, end - start);
        if (token.Length > lexicon.MaxWordLength * 2)
            return;
        Span<char> clean = stackalloc char[token.Length];
        int length = 0, letters = 0;
        bool hasCyrillic = false;
        foreach (var c in token)
        {
            if (dotsAreMasks && c is '.' or '…')
            {
                clean[length++] = '*';
                continue;
            }
            if (RussianText.IsInvisible(c) || RussianText.IsSoftSeparator(c))
                continue;
            clean[length++] = c;
            if (char.IsLetter(c))
            {
                letters++;
                hasCyrillic |= RussianText.IsCyrillic(c);
            }
        }
        if (!hasCyrillic && letters == 2 && length == 4 && !IsMaskHere(clean[3]) && !IsMaskHere(clean[0]))
        {
            // "f**k", "s**t": the English four-letter words, each hidden letter a mask; "x*y", "a**b" fit none.
            foreach (var (form, source) in latin.MaskedForms)
            {
                if (form.Length == 4 && form[0] == RussianText.ToLower(clean[0]) && form[3] == RussianText.ToLower(clean[3])
                    && !source.Any(RussianText.IsCyrillic) && IsMaskHere(clean[1]) && IsMaskHere(clean[2]))
                {
                    state.AddWord(new Word(start, end, false));
                    state.Add(RudenessKind.Obscene, start, end, source);
                    return;
                }
            }
        }
        if (letters < (hasCyrillic ? 2 : 3) || length > lexicon.MaxWordLength || IsMaskHere(clean[0]))
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
        // Two or more masks after a whole word are emphasis (markdown's «**Готово**», «копии**»), not hidden letters:
        // only the visible word is read.
        var trailingRun = 0;
        while (trailingRun < word.Length && IsMaskHere(word[word.Length - 1 - trailingRun]))
            trailingRun++;
        if (pieces.Count == 1 && trailingRun >= 2 && pieces[0].Length >= 3)
        {
            if (table.MatchObscene(pieces[0]) is { } visible)
                state.Add(RudenessKind.Obscene, start, end, visible);
            return;
        }
        foreach (var (form, source) in table.MaskedForms)
        {
            if (Fits(form, pieces, trailingMask))
            {
                state.AddWord(new Word(start, end, false));
                state.Add(RudenessKind.Obscene, start, end, source);
                return;
            }
        }
        if (FitsRoot(table, word, hasCyrillic) is { } rootSource)
        {
            state.AddWord(new Word(start, end, false));
            state.Add(RudenessKind.Obscene, start, end, rootSource);
            return;
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

    /// <summary>Whether the Latin letters at [<paramref name="start"/>, <paramref name="end"/>) occur elsewhere in the
    /// text (any case) as the beginning of a longer word, a host name or an identifier.</summary>
    private static bool BeginsANameElsewhere(string text, int start, int end)
    {
        var word = text.AsSpan(start, end - start);
        foreach (var c in word)
        {
            if (!char.IsAsciiLetter(c))
                return false;
        }
        var from = 0;
        while (from < text.Length)
        {
            var at = text.AsSpan(from).IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                return false;
            at += from;
            var next = at + word.Length;
            if (at != start && (at == 0 || !char.IsLetter(text[at - 1])) && next < text.Length
                && (char.IsAsciiLetterOrDigit(text[next]) || text[next] is '-' or '.' or '_') && next + 1 < text.Length && char.IsAsciiLetterOrDigit(text[next + 1]))
                return true;
            from = at + 1;
        }
        return false;
    }

    /// <summary>Whether the words before <paramref name="index"/>, up to 25 on the same line, name a third party (bots,
    /// attackers, spammers) nearer than the reader or the staff — a sentence's own dots ("/wp-login.php") do not end
    /// the look.</summary>
    private bool NamesThirdParty(ref State state, int index)
    {
        for (var j = index; j >= Math.Max(0, index - 25); j--)
        {
            if (j < index && state.Text.AsSpan(state.Words[j].End, state.Words[j + 1].Start - state.Words[j].End).Contains('\n'))
                return false;
            var (word, isLatin) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
            // The nearest named decides: "хакеры взломали, а ваши админы проспали. Уроды." is about the admins.
            var table = isLatin ? latin : cyrillic;
            if (table.IsTarget(word))
                return false;
            if (table.IsThirdParty(word))
                return true;
        }
        return false;
    }

    /// <summary>A part of three or more letters all Latin and another all Cyrillic, between separators.</summary>
    private static bool JoinsScripts(ReadOnlySpan<char> token)
    {
        bool latin = false, cyrillic = false;
        var from = 0;
        for (var i = 0; i <= token.Length; i++)
        {
            if (i < token.Length && !RussianText.IsSoftSeparator(token[i]))
                continue;
            var part = token[from..i];
            if (part.Length >= 3)
            {
                var letters = 0;
                var cyr = 0;
                foreach (var c in part)
                {
                    if (!char.IsLetter(c))
                        continue;
                    letters++;
                    if (RussianText.IsCyrillic(c))
                        cyr++;
                }
                latin |= letters >= 3 && cyr == 0;
                cyrillic |= letters >= 3 && cyr == letters;
            }
            from = i + 1;
        }
        return latin && cyrillic;
    }

    /// <summary>Two or more dots, or an ellipsis, with Cyrillic letters on both sides and no other separator: "зае...ли",
    /// "п…ц" — not "file.txt" (one dot), "v1..v2" (Latin), "ждать...ли" reads as two words, which fit no masked word.</summary>
    private static bool MaskLaterOnLine(string text, int from)
    {
        var line = text.AsSpan(from);
        var end = line.IndexOf('\n');
        // Only '*': Markdown's emphasis mark ("№14" later on the line is a number sign).
        return (end < 0 ? line : line[..end]).Contains('*');
    }

    /// <summary>The obscene word whose ending is <paramref name="ending"/> (Cyrillic letters only) and whose hidden
    /// beginning is <paramref name="masks"/> letters, or null.</summary>
    private string? LeadingMaskFits(ReadOnlySpan<char> ending, int masks)
    {
        foreach (var c in ending)
        {
            if (!RussianText.IsCyrillic(c))
                return null;
        }
        Span<char> lower = stackalloc char[ending.Length];
        Lower(ending, lower);
        foreach (var (form, source) in cyrillic.MaskedForms)
        {
            if (form.Length - lower.Length == masks && form.AsSpan().EndsWith(lower, StringComparison.Ordinal))
                return source;
        }
        return null;
    }

    /// <summary>"ох.ели": one dot for one hidden letter, between two or more Cyrillic letters on each side — the obscene
    /// form it spells, or null ("сайт.рф", "ул.Мира" spell none). Allocation-free: such tokens are in clean text.</summary>
    private string? SingleDotFits(ReadOnlySpan<char> token)
    {
        var dot = token.IndexOf('.');
        if (dot < 2 || dot > token.Length - 3 || token[(dot + 1)..].Contains('.') || token.Length > lexicon.MaxWordLength)
            return null;
        foreach (var c in token)
        {
            if (c != '.' && !RussianText.IsCyrillic(c))
                return null;
        }
        Span<char> lower = stackalloc char[token.Length];
        Lower(token, lower);
        foreach (var (form, source) in cyrillic.MaskedForms)
        {
            if (form.Length == lower.Length && form.AsSpan(0, dot).SequenceEqual(lower[..dot]) && form.AsSpan(dot + 1).SequenceEqual(lower[(dot + 1)..]))
                return source;
        }
        return null;
    }

    private static void Lower(ReadOnlySpan<char> text, Span<char> lower)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = RussianText.ToLower(text[i]);
            lower[i] = c == 'ё' ? 'е' : c;
        }
    }

    private static bool HasInnerDots(ReadOnlySpan<char> token)
    {
        for (var i = 1; i < token.Length - 1; i++)
        {
            var run = token[i] == '…' ? 1 : token[i] == '.' && token[i + 1] == '.' ? 2 : 0;
            if (run == 0)
                continue;
            var after = i + run;
            while (after < token.Length && token[after] is '.' or '…')
                after++;
            return RussianText.IsCyrillic(token[i - 1]) && after < token.Length && RussianText.IsCyrillic(token[after]);
        }
        return false;
    }

    /// <summary>A root that the masked word fits with a hidden letter inside the root: "п*здюки" is "пизд-юки", "бл@дство"
    /// "бляд-ство". Each run of masks stands for one to (its length + 1) letters; the root starts the word or follows a
    /// prefix ("на*уй" is not read: its first visible piece is the prefix), or, for a root found anywhere, starts after
    /// visible letters.</summary>
    private static string? FitsRoot(CompiledLexicon table, ReadOnlySpan<char> word, bool cyrillicWord)
    {
        // The word as letters and '?' for one hidden letter: every run length tried up to 16 combinations.
        Span<char> canon = stackalloc char[word.Length * 2 + 2];
        Span<char> pattern = stackalloc char[word.Length * 4 + 2];
        Span<int> runs = stackalloc int[8];
        var runCount = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (IsMaskHere(word[i]) && (i == 0 || !IsMaskHere(word[i - 1])))
            {
                if (runCount == runs.Length)
                    return null;
                runs[runCount++] = 0;
            }
            if (IsMaskHere(word[i]))
                runs[runCount - 1]++;
        }
        var combinations = 1;
        for (var r = 0; r < runCount; r++)
            combinations *= 2;
        for (var combination = 0; combination < Math.Min(combinations, 16); combination++)
        {
            int n = 0, run = 0, i = 0;
            while (i < word.Length)
            {
                var j = i;
                if (!IsMaskHere(word[i]))
                {
                    while (j < word.Length && !IsMaskHere(word[j]))
                        j++;
                    var m = cyrillicWord ? Canon.Cyrillic(word[i..j], canon, 0) : Canon.Latin(word[i..j], canon);
                    canon[..m].CopyTo(pattern[n..]);
                    n += m;
                }
                else
                {
                    while (j < word.Length && IsMaskHere(word[j]))
                        j++;
                    // A run of k masks: k letters, or one more ("х*ня" is "хуйня").
                    var letters = runs[run] + ((combination >> run) & 1);
                    run++;
                    for (var k = 0; k < letters; k++)
                        pattern[n++] = '?';
                }
                i = j;
            }
            if (table.MatchMasked(pattern[..n]) is { } source)
                return source;
        }
        return null;
    }

    private static bool IsMaskHere(char c) => RussianText.IsMask(c) || c is '@' or '!';

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

    /// <summary>Who an insult word is aimed at, from the words of its sentence: the nearest of the reader or the staff
    /// (a target), the writer and his side ("я", "наш программист"), or a third party ("боты", "хакеры", "какие-то").
    /// Aimed at a target — in reach, or an address at the start of a clause ("Остолопы, я просил…") — it is certain; a
    /// strong word aimed at nobody in particular is unsure ("Понабрали двоечников."); aimed at the writer or a third party
    /// it is nothing. Animals and objects count only aimed at someone and not in a sentence about farms, pets or
    /// goods; adjectives not before a noun that is a thing ("тупой вопрос").</summary>
    private void ResolveInsults(ref State state)
    {
        if (state.Insults is null)
            return;
        foreach (var (index, kind, source) in state.Insults)
        {
            var w = state.Words[index];
            if (IsTitle(state.Text, w) || index > 0 && IsLiteral(ref state, index - 1)
                || index + 1 < state.WordCount && !ClauseBreakBetween(state.Text, w.End, state.Words[index + 1].Start) && IsLiteral(ref state, index + 1))
                continue;
            if (SignsOff(state.Text, w.Start, w.End))
                continue;
            var (first, last) = SentenceOf(ref state, index);
            // "Китайские боты сканируют /wp-login.php. Уроды.": a word that is a sentence by itself is said of whom the
            // sentence before it is about.
            if (first == index && last == index && index > 0 && NamesThirdParty(ref state, index - 1))
                continue;
            first = Math.Max(first, index - 12);
            last = Math.Min(last, index + 12);
            int target = int.MaxValue, writer = int.MaxValue, third = int.MaxValue;
            bool literal = false, secondPerson = false, pronoun = false, predicative = false, selfClose = false, someone = false, mentioned = false;
            for (var j = first; j <= last; j++)
            {
                var (word, isLatin) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
                var table = isLatin ? latin : cyrillic;
                // A clause break between makes a word farther: "Девушка-оператор — просто идиотка: я трижды написала…"
                // is about the operator, "я, как последний лох, открыл… от «вашего» имени" about the writer.
                var distance = Math.Abs(j - index) + (BreakBetween(state.Text, state.Words[Math.Min(j, index)].End, state.Words[Math.Max(j, index)].Start) ? 3 : 0);
                foreach (var stem in literalDomains)
                    literal |= j != index && word.StartsWith(stem, StringComparison.Ordinal);
                secondPerson |= reader.Contains(word) || word.StartsWith("ваш", StringComparison.Ordinal) || word.StartsWith("тво", StringComparison.Ordinal)
                    || !isLatin && word.Length >= 5 && (word.EndsWith("ите", StringComparison.Ordinal) || word.EndsWith("ьте", StringComparison.Ordinal));
                if (j == index)
                    continue;
                // "Какой идиот отключил…": the one asked about is on the other side.
                // "Опять какой-то нубас отвечает на тикеты", "ответил какой-то жлоб": who answers is the other side.
                if (table.IsTarget(word) || j == index - 1 && word is "какой" or "какая" or "какие" or "какого" or "какому" or "which" or "what"
                    || YourNamedPerson(ref state, j) || !isLatin && distance <= 3 && word is "ответил" or "ответила" or "ответили" or "отвечает" or "отвечают" or "отвечал" or "отвечали")
                {
                    target = Math.Min(target, distance);
                    predicative |= Math.Abs(j - index) <= 4 && OnlyGlueBetween(ref state, Math.Min(j, index), Math.Max(j, index));
                }
                // "я", "мы" within a few words; "мой", "наш" only right next to it ("наш программист — идиот").
                if (table.IsSelf(word) && (distance <= 2 || !IsPossessive(word)))
                {
                    writer = Math.Min(writer, distance);
                    selfClose |= distance <= 2 && !ClauseBreakBetween(state.Text, state.Words[Math.Min(j, index)].End, state.Words[Math.Max(j, index)].Start);
                }
                if (table.IsThirdParty(word) && distance <= 6)
                    third = Math.Min(third, distance);
                // "какие-то уроды", "эти твари": someone the writer does not name — a third party, unless the staff is named
                // anywhere in the sentence ("кто у вас там отвечает — недотёпы какие-то").
                if (distance <= 2 && word is "какие-то" or "какой-то" or "какая-то" or "какие" or "эти" or "этих" or "этим" or "этими" or "those" or "these")
                    someone = true;
                // "Какая-то тварь подбирает пароль": the hyphen splits "какая-то" into two words.
                if (j == index - 1 && word == "то" && j > 0 && Simple(state.Text.AsSpan(state.Words[j - 1].Start, state.Words[j - 1].End - state.Words[j - 1].Start)).Item1
                    is "какая" or "какой" or "какие" or "какую" or "каким" or "кто")
                    someone = true;
                // "Олухи — так называется наш проект": the word is mentioned as a name, not said of anyone.
                if (j > index && j <= index + 3 && word is "называется" or "называются" or "называем" or "назвали" or "зовут" or "название" or "названием")
                    mentioned = true;
                // "Вот кретин — это я": the insult identified with the writer across a dash.
                if (j > index && j <= index + 3 && word is "я" or "мы" && state.Words[j - 1] is var before
                    && Simple(state.Text.AsSpan(before.Start, before.End - before.Start)).Item1 == "это")
                    selfClose = true;
                pronoun |= distance <= lexicon.ContextWords && thirdPersons.Contains(word) && HasAntecedent(ref state, j);
            }
            if (mentioned)
                continue;
            // An address opens the sentence ("Остолопы, я просил…"): aimed at the reader whoever else the sentence names,
            // unless a third party is joined to the word ("Дебилы-спамеры подделывают…", "Придурки какие-то засыпают…").
            if (someone && target == int.MaxValue)
                third = Math.Min(third, 1);
            var vocative = third > 1 && !selfClose && IsVocative(ref state, index, first);
            // The writer or a third party named nearer than the reader: "я, как последний лох, …", "дебилы-боты" — the
            // writer only within a few words ("Дармоеды. Вам деньги платят, а я…" is not about the writer).
            if (!vocative && (writer <= 8 || third < int.MaxValue) && Math.Min(writer <= 8 ? writer : int.MaxValue, third) < target)
                continue;
            var inReach = target <= lexicon.ContextWords + 1;
            // Rats in the machine room: an animal word in a passage about animals, a sentence or two away too (the
            // animal world's words only: a disk or a photo in the sentence before does not make «бараны» sheep).
            literal |= kind == InsultClass.Animal && LiteralNearby(ref state, index, 25);
            double confidence;
            switch (kind)
            {
                case InsultClass.Strong:
                    confidence = inReach || vocative || target <= 8 ? RudenessConfidence.Certain : RudenessConfidence.Doubtful;
                    break;
                case InsultClass.Animal when literal && !(vocative && secondPerson):
                    continue;
                case InsultClass.Animal:
                    confidence = inReach || vocative && secondPerson ? RudenessConfidence.Certain
                        : vocative || target <= 8 || pronoun ? RudenessConfidence.Doubtful : 0;
                    break;
                case InsultClass.Object when literal && !(vocative && secondPerson):
                    continue;
                case InsultClass.Object:
                    confidence = predicative || vocative && secondPerson ? RudenessConfidence.Certain : vocative || pronoun ? RudenessConfidence.Doubtful : 0;
                    break;
                default:
                    if (BeforeAThing(ref state, index))
                        continue;
                    confidence = predicative || inReach ? RudenessConfidence.Certain : target <= 8 || pronoun ? RudenessConfidence.Doubtful : 0;
                    break;
            }
            if (confidence > 0)
                state.Add(RudenessKind.Insult, w.Start, w.End, source, confidence);
        }
    }

    private bool LiteralNearby(ref State state, int index, int words)
    {
        for (var j = Math.Max(0, index - words); j <= Math.Min(state.WordCount - 1, index + words); j++)
        {
            if (j == index)
                continue;
            var (word, _) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
            foreach (var stem in animalDomains)
            {
                if (word.StartsWith(stem, StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }

    private static bool IsPossessive(string word) =>
        word.StartsWith("мо", StringComparison.Ordinal) || word.StartsWith("наш", StringComparison.Ordinal) || word is "my" or "our";

    /// <summary>The sentence of a word: words up to the nearest sentence end (".", "!", "?", "…", a line break) either side.</summary>
    private static (int First, int Last) SentenceOf(ref State state, int index)
    {
        var first = index;
        while (first > 0 && state.Text.AsSpan(state.Words[first - 1].End, Math.Max(0, state.Words[first].Start - state.Words[first - 1].End)).IndexOfAny(SentenceEnds) < 0)
            first--;
        var last = index;
        while (last + 1 < state.WordCount && state.Text.AsSpan(state.Words[last].End, Math.Max(0, state.Words[last + 1].Start - state.Words[last].End)).IndexOfAny(SentenceEnds) < 0)
            last++;
        return (first, last);
    }

    /// <summary>An address: the insult opens its sentence (after "ну", "эй", "ох", "вот" at most) and a comma, "!", a
    /// dash or the sentence's end follows it or the two words after it ("Остолопы, …", "Дурилки картонные, …",
    /// "Вот скоты.", "олухи царя небесного...").</summary>
    private static bool IsVocative(ref State state, int index, int first)
    {
        for (var j = first; j < index; j++)
        {
            var (word, _) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
            // "Слушайте, болваны, …", "Поймите же, олухи": a call to the reader in the imperative may open the address;
            // "Ну что, пеньки, …" too.
            // Set off by a comma: "Простите дурака старого" asks pardon for the writer, the word is its object.
            var imperative = word.Length >= 5 && (word.EndsWith("йте", StringComparison.Ordinal) || word.EndsWith("ите", StringComparison.Ordinal) || word.EndsWith("ьте", StringComparison.Ordinal))
                && state.Text.AsSpan(state.Words[j].End, state.Words[j + 1].Start - state.Words[j].End).Contains(',');
            if (!imperative && word is not ("ну" or "эй" or "ох" or "ах" or "эх" or "о" or "вот" or "да" or "ой" or "же" or "что" or "уважаемые" or "дорогие" or "господа" or "hey" or "dear" or "you"))
                return false;
        }
        for (var j = index; j <= Math.Min(index + 2, state.WordCount - 1); j++)
        {
            var gapEnd = j + 1 < state.WordCount ? state.Words[j + 1].Start : state.Text.Length;
            var gap = state.Text.AsSpan(state.Words[j].End, Math.Max(0, gapEnd - state.Words[j].End));
            if (gap.IndexOfAny(VocativeBreaks) >= 0 || j + 1 == state.WordCount)
                return true;
        }
        return false;
    }

    private static readonly SearchValues<char> VocativeBreaks = SearchValues.Create(",!.?;:—…\n");

    /// <summary>Only <see cref="RudenessLexicon.Glue"/> words between two words of one clause ("вы <em>все просто</em> бараны").</summary>
    private bool OnlyGlueBetween(ref State state, int from, int to)
    {
        for (var j = from + 1; j < to; j++)
        {
            var (word, _) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
            if (!glue.Contains(word) && !cyrillic.IsTarget(word))
                return false;
        }
        return state.Text.AsSpan(state.Words[from].End, state.Words[to].Start - state.Words[from].End).IndexOfAny(".!?\n;") < 0;
    }

    /// <summary>"тупой вопрос", "криворукий код": an adjective right before a word that is neither a person, a target nor
    /// a little word is said of a thing.</summary>
    private bool BeforeAThing(ref State state, int index)
    {
        if (index + 1 >= state.WordCount || ClauseBreakBetween(state.Text, state.Words[index].End, state.Words[index + 1].Start))
            return false;
        var next = state.Words[index + 1];
        var (word, isLatin) = Simple(state.Text.AsSpan(next.Start, next.End - next.Start));
        var table = isLatin ? latin : cyrillic;
        if (word.Length < 3 || table.IsTarget(word) || glue.Contains(word) || table.IsSelf(word) || particles.Contains(word)
            || word is "или" or "но" or "что" or "чтобы" or "если" or "раз" or "когда" or "люди" or "людей" or "человек" or "ребята" or "мужики")
            return false;
        // A verb in the second person is no thing: the adjective names people ("таких бестолковых набираете?").
        if (!isLatin && word.Length >= 5 && (word.EndsWith("ете", StringComparison.Ordinal) || word.EndsWith("ите", StringComparison.Ordinal)))
            return false;
        return table.MatchInsult(word, out _) is null;
    }

    /// <summary>Obscene findings that are probably something else are left to an engineer, or dropped: a Latin word
    /// next to other capitalised Latin words (a name: "Nguyen Van Huy", "Li Hui"), right after "логин"/"login" (an
    /// identifier), a capitalised Latin word or a word alone in quotes («suka»: a mention), a capitalised Cyrillic word
    /// next to a first name ("Анна Бляхер"), swearing inside a capitalised quotation (a title: «Сукины дети»), a female
    /// dog in a sentence about dogs ("кобели и суки").</summary>
    private void ReviewObscene(ref State state)
    {
        if (state.Found is not { } found)
            return;
        var text = state.Text;
        for (var f = found.Count - 1; f >= 0; f--)
        {
            var fragment = found[f];
            if (fragment.Kind != RudenessKind.Obscene)
                continue;
            int start = fragment.Start, end = fragment.Start + fragment.Length;
            var latinOnly = !fragment.Text.Any(RussianText.IsCyrillic);
            var russian = fragment.Entry.Any(RussianText.IsCyrillic);
            var capitalised = char.IsUpper(text[start]) && fragment.Text.Skip(1).Any(char.IsLower);
            if (AfterLoginWord(text, start) || latinOnly && Defined(text, end))
            {
                found.RemoveAt(f);
                continue;
            }
            if (capitalised && (NeighbourIsCapitalised(text, start, end, latinOnly) || !latinOnly && NextToFirstName(text, start, end)))
            {
                if (latinOnly)
                    found.RemoveAt(f);
                else
                    found[f] = fragment with { Confidence = Math.Min(fragment.Confidence, RudenessConfidence.Doubtful) };
                continue;
            }
            var doubtful = latinOnly && russian && (capitalised && !SentenceStart(text, start) || QuotedAlone(text, start, end))
                || !IsMat(fragment.Entry) && (InCapitalisedQuote(text, start) || IsDogSentence(ref state, start));
            if (doubtful)
                found[f] = fragment with { Confidence = Math.Min(fragment.Confidence, RudenessConfidence.Doubtful) };
        }
    }

    /// <summary>"(hui = club in Hawaiian)", "Suka = \"like\"": a Latin word being defined is a mention.</summary>
    private static bool Defined(string text, int end)
    {
        var q = end;
        while (q < text.Length && text[q] is ' ' or '\t')
            q++;
        return q < text.Length && (text[q] == '=' || text.AsSpan(q).StartsWith("means", StringComparison.Ordinal));
    }

    /// <summary>The five roots of мат proper; the rest of the obscene list is swearing (сука, говно, ублюдок…).</summary>
    private static bool IsMat(string entry) =>
        entry.Contains("ху", StringComparison.Ordinal) || entry.Contains("пизд", StringComparison.Ordinal) || entry.Contains("пзд", StringComparison.Ordinal)
        || entry.Contains("бля", StringComparison.Ordinal) || entry.Contains("еб", StringComparison.Ordinal) || entry.Contains("муд", StringComparison.Ordinal)
        || entry.Contains("залуп", StringComparison.Ordinal) || entry.Contains("fuck", StringComparison.Ordinal);

    private static bool AfterLoginWord(string text, int start)
    {
        // On the same line only: "login\nblyat, …" is a login given on one line and swearing on the next (and when the
        // rule has blanked the subscriber's own login, the next line's first word is no identifier either).
        var p = start - 1;
        while (p >= 0 && (text[p] is ' ' or '\t' or '\u00A0' or ':' or '«' or '"' or '\'' or '`'))
            p--;
        var wordEnd = p + 1;
        while (p >= 0 && char.IsLetter(text[p]))
            p--;
        var word = text.AsSpan(p + 1, wordEnd - p - 1);
        return word.Equals("логин", StringComparison.OrdinalIgnoreCase) || word.Equals("login", StringComparison.OrdinalIgnoreCase)
            || word.Equals("логином", StringComparison.OrdinalIgnoreCase) || word.Equals("username", StringComparison.OrdinalIgnoreCase)
            || word.Equals("user", StringComparison.OrdinalIgnoreCase) || word.Equals("пользователь", StringComparison.OrdinalIgnoreCase)
            || word.Equals("учетка", StringComparison.OrdinalIgnoreCase) || word.Equals("ник", StringComparison.OrdinalIgnoreCase);
    }

    private static bool NeighbourIsCapitalised(string text, int start, int end, bool latinOnly)
    {
        // The word before, on the same line and with nothing but spaces between.
        var p = start - 1;
        while (p >= 0 && text[p] is ' ' or '\t')
            p--;
        var beforeEnd = p + 1;
        while (p >= 0 && char.IsLetter(text[p]))
            p--;
        if (beforeEnd - p - 1 >= 2 && IsCapitalisedWord(text.AsSpan(p + 1, beforeEnd - p - 1), latinOnly))
            return true;
        var q = end;
        while (q < text.Length && text[q] is ' ' or '\t')
            q++;
        var afterStart = q;
        while (q < text.Length && char.IsLetter(text[q]))
            q++;
        return q - afterStart >= 2 && IsCapitalisedWord(text.AsSpan(afterStart, q - afterStart), latinOnly);
    }

    private static bool IsCapitalisedWord(ReadOnlySpan<char> word, bool latinScript) =>
        char.IsUpper(word[0]) && (word.Length == 1 || char.IsLower(word[1])) && (latinScript ? RussianText.IsLatin(word[0]) : RussianText.IsCyrillic(word[0]));

    private bool NextToFirstName(string text, int start, int end)
    {
        Span<char> buffer = stackalloc char[64];
        var p = start - 1;
        while (p >= 0 && text[p] is ' ' or '\t')
            p--;
        var beforeEnd = p + 1;
        while (p >= 0 && char.IsLetter(text[p]))
            p--;
        if (IsFirstName(text.AsSpan(p + 1, beforeEnd - p - 1), buffer))
            return true;
        var q = end;
        while (q < text.Length && text[q] is ' ' or '\t')
            q++;
        var afterStart = q;
        while (q < text.Length && char.IsLetter(text[q]))
            q++;
        return IsFirstName(text.AsSpan(afterStart, q - afterStart), buffer);
    }

    /// <summary>"Олег, балбес" as the last line: the writer signs off calling himself so — a line of at most three words
    /// with a first name, nothing after it.</summary>
    private bool SignsOff(string text, int start, int end)
    {
        if (!text.AsSpan(end).IsWhiteSpace())
        {
            var after = text.AsSpan(end);
            var newline = after.IndexOf('\n');
            if (newline < 0 || !after[newline..].IsWhiteSpace())
                return false;
        }
        var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        var lineEnd = text.IndexOf('\n', end);
        var line = text.AsSpan(lineStart, (lineEnd < 0 ? text.Length : lineEnd) - lineStart);
        Span<char> buffer = stackalloc char[64];
        var words = 0;
        var named = false;
        foreach (var range in line.SplitAny(" ,.!\t\r"))
        {
            var word = line[range];
            if (word.IsEmpty)
                continue;
            words++;
            named |= IsFirstName(word, buffer);
        }
        return named && words <= 3;
    }

    /// <summary>"Идиот ваш Роман", "ваш Геннадий — дубина": a first name after "ваш" is one of the other side's people,
    /// as "ваш инженер" is.</summary>
    private bool YourNamedPerson(ref State state, int j)
    {
        if (j == 0)
            return false;
        var before = state.Words[j - 1];
        if (Simple(state.Text.AsSpan(before.Start, before.End - before.Start)).Item1 is not ("ваш" or "ваша" or "вашего" or "вашей" or "вашему" or "вашим" or "вашу" or "вашем"))
            return false;
        Span<char> buffer = stackalloc char[64];
        return IsFirstName(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start), buffer);
    }

    private bool IsFirstName(ReadOnlySpan<char> word, Span<char> buffer)
    {
        if (word.Length < 2 || word.Length > 32 || !char.IsUpper(word[0]))
            return false;
        var n = Canon.Cyrillic(word, buffer, 0);
        return firstNameLookup.Contains(buffer[..n]);
    }

    private static bool SentenceStart(string text, int start)
    {
        var p = start - 1;
        while (p >= 0 && (char.IsWhiteSpace(text[p]) && text[p] != '\n' || text[p] is '«' or '"' or '(' or '-' or '—' or '>'))
            p--;
        return p < 0 || text[p] is '.' or '!' or '?' or '\n' or '…' or ':';
    }

    /// <summary>«suka», "hui": one word in quotes is mentioned, not used.</summary>
    private static bool QuotedAlone(string text, int start, int end) =>
        start > 0 && end < text.Length && text[start - 1] is '«' or '"' or '\'' or '“' or '`' && text[end] is '»' or '"' or '\'' or '”' or '`';

    /// <summary>Inside «…» or "…" that opens with a capital: a title ("Бесславные ублюдки", «Сукины дети»).</summary>
    private static bool InCapitalisedQuote(string text, int position)
    {
        for (var p = position - 1; p >= 0 && p >= position - 60 && text[p] != '\n'; p--)
        {
            if (text[p] is '»' or '”')
                return false;
            if (text[p] is '«' or '"' or '“' or '„')
                return p + 1 < text.Length && char.IsUpper(text[p + 1]);
        }
        return false;
    }

    private bool IsDogSentence(ref State state, int position)
    {
        var index = -1;
        for (var j = 0; j < state.WordCount; j++)
        {
            if (state.Words[j].Start == position)
            {
                index = j;
                break;
            }
        }
        if (index < 0)
            return false;
        var (word, _) = Simple(state.Text.AsSpan(state.Words[index].Start, state.Words[index].End - state.Words[index].Start));
        if (!word.StartsWith("сук", StringComparison.Ordinal) && !word.StartsWith("суч", StringComparison.Ordinal))
            return false;
        var (first, last) = SentenceOf(ref state, index);
        for (var j = Math.Max(first, index - 12); j <= Math.Min(last, index + 12); j++)
        {
            var (other, _) = Simple(state.Text.AsSpan(state.Words[j].Start, state.Words[j].End - state.Words[j].Start));
            foreach (var stem in animalDomains)
            {
                if (j != index && other.StartsWith(stem, StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
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
        Span<char> verbBuffer = stackalloc char[66];
        Span<char> targetBuffer = stackalloc char[66];
        for (var i = 0; i + 1 < state.WordCount; i++)
        {
            var verbWord = state.Words[i];
            var targetWord = state.Words[i + 1];
            if (ClauseBreakBetween(state.Text, verbWord.End, targetWord.Start))
                continue;
            // Words are compared on the stack: this runs over every pair of words of every message.
            if (verbWord.End - verbWord.Start > 32 || targetWord.End - targetWord.Start > 32)
                continue;
            var verb = verbBuffer[..SimpleInto(state.Text.AsSpan(verbWord.Start, verbWord.End - verbWord.Start), verbBuffer)];
            var isDismissal = false;
            foreach (var (v, _, _) in dismissals)
                isDismissal |= verb.SequenceEqual(v);
            if (!isDismissal)
                continue;
            var target = targetBuffer[..SimpleInto(state.Text.AsSpan(targetWord.Start, targetWord.End - targetWord.Start), targetBuffer)];
            foreach (var (v, t, source) in dismissals)
            {
                if (!verb.SequenceEqual(v) || !target.SequenceEqual(t))
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

    /// <summary>A break between who is named and what is said of him: a comma, colon or bracket — not a dash, which
    /// predicates ("Мошенники — мрази", "Ваша поддержка — стадо баранов").</summary>
    private static bool BreakBetween(string text, int from, int to) =>
        from < to && text.AsSpan(from, to - from).IndexOfAny(NamingBreaks) >= 0;

    private static readonly SearchValues<char> NamingBreaks = SearchValues.Create(",.!?;:()");

    private static int SimpleInto(ReadOnlySpan<char> raw, Span<char> buffer)
    {
        var hasCyrillic = false;
        foreach (var c in raw)
            hasCyrillic |= RussianText.IsCyrillic(c);
        return hasCyrillic ? Canon.Cyrillic(raw, buffer, 0) : Canon.Latin(raw, buffer);
    }

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
    private static bool IsOneLetterWord(char c) => RussianText.ToLower(c) is 'и' or 'в' or 'с' or 'к' or 'у' or 'а' or 'о' or 'я';

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
            // The run may start with a one-letter Russian word before the spaced letters ("вы и м у д а к и"): read it
            // without that word when the whole run is not a word.
            for (var from = i; from <= i + 1 && j - from >= 2 && (j - from + 1) * 2 <= joined.Length; from++)
            {
                if (from > i && !IsOneLetterWord(state.Text[state.Words[i].Start]))
                    break;
                var n = 0;
                for (var k = from; k <= j; k++)
                {
                    foreach (var c in state.Text.AsSpan(state.Words[k].Start, state.Words[k].End - state.Words[k].Start))
                        joined[n++] = c;
                }
                var hit = Analyze(joined[..n], out var source, out var kind, out var confidence);
                if (hit is Hit.Obscene)
                    state.Add(RudenessKind.Obscene, state.Words[from].Start, state.Words[j].End, source!, confidence);
                else if (hit is Hit.Insult && kind == InsultClass.Strong)
                    state.Add(RudenessKind.Insult, state.Words[from].Start, state.Words[j].End, source!, RudenessConfidence.Doubtful);
                else
                    continue;
                break;
            }
            i = j + 1;
        }
    }
}
