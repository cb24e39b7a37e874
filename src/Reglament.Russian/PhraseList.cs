namespace Reglament.Russian;

/// <summary>A found phrase: which configured phrase, where, and the words as written.</summary>
/// <param name="Phrase">The configured phrase that matched.</param>
/// <param name="Start">Offset of the first matched word in the text.</param>
/// <param name="Length">From the first to the last matched word.</param>
/// <param name="Text">The matched words as written, with what lies between them.</param>
public sealed record PhraseMatch(string Phrase, int Start, int Length, string Text);

/// <summary>Keyword phrases for rules that read requests ("настро* скрипт*", "kernel panic", "потер* данн*"): words in
/// order, each exact or, with a trailing <c>*</c>, a prefix; up to <see cref="MaxGap"/> other words may stand between
/// two words of a phrase. Matching is on normalised words (<see cref="RussianText.Normalize"/>): case, <c>ё</c>,
/// invisible characters do not matter. Linear in the text; no regular expressions.</summary>
public sealed class PhraseList
{
    private readonly (string Source, (string Word, bool Prefix)[] Words)[] phrases;

    /// <summary>Compiles the phrases; blank ones are ignored.</summary>
    public PhraseList(IEnumerable<string> phrases, int maxGap = 1)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        MaxGap = maxGap;
        this.phrases = [.. phrases.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => (p, Compile(p)))];
    }

    /// <summary>How many other words may stand between two words of a phrase.</summary>
    public int MaxGap { get; }

    /// <summary>True when there are no phrases.</summary>
    public bool IsEmpty => phrases.Length == 0;

    private static (string, bool)[] Compile(string phrase)
    {
        var normalized = RussianText.Normalize(phrase);
        return [.. Words(normalized).Select(w => (normalized.Substring(w.Start, w.Length),
            w.Start + w.Length < normalized.Length && normalized[w.Start + w.Length] == '*'))];
    }

    /// <summary>The first phrase (in configured order) found in the text, or null.</summary>
    public PhraseMatch? FindFirst(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (phrases.Length == 0)
            return null;
        var normalized = NormalizeKeepingOffsets(text);
        var words = Words(normalized).ToArray();
        foreach (var (source, pattern) in phrases)
        {
            if (pattern.Length == 0)
                continue;
            for (var i = 0; i < words.Length; i++)
            {
                if (!Matches(normalized, words[i], pattern[0]))
                    continue;
                var last = i;
                var ok = true;
                for (var p = 1; p < pattern.Length && ok; p++)
                {
                    ok = false;
                    // A negation binds the word right after it, a degree word between at most: «не очень срочно» says
                    // «не срочно», «не работает срочно» does not.
                    var negation = pattern[p - 1] is ("не" or "not", false);
                    for (var j = last + 1; j <= last + 1 + MaxGap && j < words.Length; j++)
                    {
                        if (negation && j > last + 1 && !IsDegreeWord(normalized, words[j - 1]))
                            break;
                        // A phrase is said within one sentence: «ничего не менял. срочно» does not say «не срочно».
                        if (EndsSentence(normalized, words[j - 1], words[j]))
                            break;
                        if (Matches(normalized, words[j], pattern[p]))
                        {
                            last = j;
                            ok = true;
                            break;
                        }
                    }
                }
                if (ok)
                {
                    var start = words[i].Start;
                    var end = words[last].Start + words[last].Length;
                    return new PhraseMatch(source, start, end - start, text[start..end]);
                }
            }
        }
        return null;
    }

    private static readonly string[] DegreeWords = ["очень", "особо", "особенно", "слишком", "так", "сильно", "совсем", "very", "too", "that", "so"];

    private static bool IsDegreeWord(string text, (int Start, int Length) word)
    {
        var span = text.AsSpan(word.Start, word.Length);
        foreach (var degree in DegreeWords)
        {
            if (span.SequenceEqual(degree))
                return true;
        }
        return false;
    }

    /// <summary>True when any phrase is found.</summary>
    public bool IsFoundIn(string text) => FindFirst(text) is not null;

    private static bool Matches(string text, (int Start, int Length) word, (string Word, bool Prefix) pattern)
    {
        var span = text.AsSpan(word.Start, word.Length);
        return pattern.Prefix ? span.StartsWith(pattern.Word, StringComparison.Ordinal) : span.SequenceEqual(pattern.Word);
    }

    private static bool EndsSentence(string text, (int Start, int Length) before, (int Start, int Length) after) =>
        text.AsSpan(before.Start + before.Length, after.Start - before.Start - before.Length).IndexOfAny(".!?\n") >= 0;

    /// <summary>Lower case and <c>ё</c> → <c>е</c> in place, invisible characters blanked, so offsets stay the text's.</summary>
    private static string NormalizeKeepingOffsets(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = RussianText.IsInvisible(c) ? ' ' : c is 'ё' or 'Ё' ? 'е' : RussianText.ToLower(c);
        }
    });

    /// <summary>Words: letters and digits, with inner dots and underscores ("php.ini", "memory_limit").</summary>
    private static IEnumerable<(int Start, int Length)> Words(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
                i++;
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])))
                i++;
            if (i > start)
                yield return (start, i - start);
        }
    }
}
