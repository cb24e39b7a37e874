using System.Text;

namespace Reglament.Russian;

/// <summary>Normalisation and de-obfuscation of Russian (and mixed Russian/English) text.</summary>
public static class RussianText
{
    /// <summary>Lower case, <c>ё</c> → <c>е</c>, Unicode compatibility forms folded (NFKC), zero-width characters,
    /// soft hyphens and combining accents removed. For search and comparison, not for display.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (IsInvisible(c))
                continue;
            var lower = ToLower(c);
            builder.Append(lower == 'ё' ? 'е' : lower);
        }
        return builder.ToString();
    }

    /// <summary>The Cyrillic reading of one obfuscated word: Latin look-alikes (<c>x</c> → <c>х</c>), digits used as
    /// letters (<c>0</c> → <c>о</c>, <c>3</c> → <c>з</c>, <c>6</c> → <c>б</c>, <c>4</c> → <c>ч</c>), <c>@</c> and <c>$</c>,
    /// inserted separators and repeated letters removed, <c>ё</c> → <c>е</c>, <c>ъ</c> → <c>ь</c>.
    /// A word written entirely in Latin letters is transliterated (<c>pizdec</c> → <c>пиздец</c>).</summary>
    public static string Deobfuscate(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        Span<char> buffer = stackalloc char[Math.Min(word.Length * 2 + 2, 512)];
        var squeezed = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (!IsInvisible(c) && !IsSoftSeparator(c))
                squeezed.Append(c);
        }
        var s = squeezed.ToString();
        if (s.Length * 2 + 2 > buffer.Length)
            return Normalize(s);
        var hasCyrillic = false;
        foreach (var c in s)
            hasCyrillic |= IsCyrillic(c);
        if (hasCyrillic)
        {
            var length = Canon.Cyrillic(s, buffer, 0);
            return new string(buffer[..length]);
        }
        return Transliteration.ToCyrillic(s);
    }

    /// <summary><see cref="char.ToLowerInvariant(char)"/>, the same result, without its call into ICU for the Cyrillic
    /// and ASCII letters that make up nearly all of a message: that call per letter was 40 % of the rudeness
    /// detector's time (docs/performance.md).</summary>
    public static char ToLower(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c | 0x20),
        < '\u0080' => c,
        >= '\u0410' and <= '\u042F' => (char)(c + 0x20),
        >= '\u0400' and <= '\u040F' => (char)(c + 0x50),
        >= '\u0430' and <= '\u045F' => c,
        _ => char.ToLowerInvariant(c),
    };

    internal static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or (>= '\u0300' and <= '\u036F');

    internal static bool IsCyrillic(char c) => c is >= '\u0400' and <= '\u04FF';

    internal static bool IsLatin(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    /// <summary>Characters people insert inside a word to hide it ("х.у.й", "пи-зд-ец") but that also join ordinary
    /// compounds ("какой-то"): a word is read both split at them and with them removed.</summary>
    internal static bool IsSoftSeparator(char c) => c is '.' or '-' or '_' or '\'' or '`' or '~' or '^' or '+' or '|' or '…' or '’' or '/';

    /// <summary>Characters that hide letters: "х**ня", "бл#дь", "п№здец" ("№" is on the Russian keyboard where "#" is).</summary>
    internal static bool IsMask(char c) => c is '*' or '#' or '%' or '№';
}
