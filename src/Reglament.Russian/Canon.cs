namespace Reglament.Russian;

/// <summary>Canonical spellings the lexicon is compared with. Everything here works on spans without allocating,
/// because it runs once per word of every message.</summary>
internal static class Canon
{
    // Latin letters that stand for Cyrillic ones in an obfuscated word, by look or by transliteration; the first is the
    // most common reading. A mixed-script word is tried in every combination (up to MaxVariants).
    private static readonly string[] LatinAsCyrillic =
    [
        "а", "бвь", "с", "д", "е", "ф", "гд", "хн", "ий", "йж", "к", "л", "м", "нп", "о", "рп", "к", "рг", "с", "т",
        "уи", "в", "шв", "х", "уйы", "з",
    ];

    public const int MaxVariants = 16;

    /// <summary>How many Cyrillic readings a mixed-script word has (capped).</summary>
    public static int VariantCount(ReadOnlySpan<char> word)
    {
        var count = 1;
        foreach (var c in word)
        {
            var options = RussianText.IsLatin(c) ? LatinAsCyrillic[(c | 0x20) - 'a'].Length : c is '€' or '3' ? 2 : 1;
            count *= options;
            if (count >= MaxVariants)
                return MaxVariants;
        }
        return count;
    }

    /// <summary>Writes the Cyrillic reading number <paramref name="variant"/> of a word (letters, digits, @, $ only)
    /// into <paramref name="output"/>, lower case, ё → е, ъ → ь, runs of one letter collapsed; returns its length.</summary>
    public static int Cyrillic(ReadOnlySpan<char> word, Span<char> output, int variant)
    {
        var length = 0;
        var previous = '\0';
        foreach (var raw in word)
        {
            char c;
            if (raw is >= 'А' and <= 'Я')
                c = (char)(raw + 0x20);
            else if (raw is >= 'а' and <= 'я')
                c = raw;
            else if (raw is 'ё' or 'Ё')
                c = 'е';
            else if (RussianText.IsLatin(raw))
            {
                var options = LatinAsCyrillic[(raw | 0x20) - 'a'];
                c = options[variant % options.Length];
                variant /= options.Length;
            }
            else
            {
                c = raw switch
                {
                    '0' => 'о',
                    '1' => 'и',
                    // Two readings each: «3» is «з» by look and «е» in leetspeak («х3р»); «€» is «е» («оху€ть») or
                    // «я», as an old code page rendered it («бл€ть»).
                    '3' => Variant("зе", ref variant),
                    '4' => 'ч',
                    '6' => 'б',
                    '9' => 'я',
                    '@' => 'а',
                    '$' => 'с',
                    'і' or 'І' or 'ї' or 'Ї' => 'и',
                    // Ukrainian and Belarusian letters.
                    '€' => Variant("ея", ref variant),
                    'є' or 'Є' => 'е',
                    'ў' or 'Ў' => 'у',
                    // Greek capitals and letters that look Cyrillic: «πиздец», «Χуйня».
                    'π' or 'Π' => 'п',
                    'α' or 'Α' => 'а',
                    'ο' or 'Ο' => 'о',
                    'ε' or 'Ε' => 'е',
                    'ρ' or 'Ρ' => 'р',
                    'κ' or 'Κ' => 'к',
                    'χ' or 'Χ' => 'х',
                    'τ' or 'Τ' => 'т',
                    'μ' or 'Μ' => 'м',
                    'υ' or 'Υ' => 'у',
                    'Β' => 'в',
                    'Η' => 'н',
                    'λ' or 'Λ' => 'л',
                    'γ' or 'Γ' => 'г',
                    'φ' or 'Φ' => 'ф',
                    _ => RussianText.ToLower(raw),
                };
            }
            if (c == 'ъ')
                c = 'ь';
            if (c == previous)
                continue;
            output[length++] = c;
            previous = c;
        }
        return length;
    }

    private static char Variant(string options, ref int variant)
    {
        var c = options[variant % options.Length];
        variant /= options.Length;
        return c;
    }

    /// <summary>Writes a Latin word lower case, digits and symbols used as letters replaced (0 → o, 1 → i, 3 → z,
    /// 4 → ch, 6 → b, 9 → ya, @ → a, $ → s), runs of one letter collapsed; returns its length.</summary>
    public static int Latin(ReadOnlySpan<char> word, Span<char> output)
    {
        var length = 0;
        var previous = '\0';
        foreach (var raw in word)
        {
            var replacement = raw switch
            {
                '0' => "o",
                '1' => "i",
                '3' => "z",
                '4' => "ch",
                '6' => "b",
                '9' => "ya",
                '@' => "a",
                '$' => "s",
                _ => null,
            };
            if (replacement is null)
            {
                var c = RussianText.ToLower(raw);
                if (c != previous)
                    output[length++] = previous = c;
                continue;
            }
            foreach (var c in replacement)
            {
                if (c != previous)
                    output[length++] = previous = c;
            }
        }
        return length;
    }

    /// <summary>A mostly Latin word with Cyrillic look-alikes ("fuсk" with a Cyrillic "с") in Latin letters, then as
    /// <see cref="Latin"/>; 0 when a Cyrillic letter has no Latin look-alike.</summary>
    public static int LatinLookalikes(ReadOnlySpan<char> word, Span<char> output)
    {
        Span<char> latin = stackalloc char[word.Length];
        for (var i = 0; i < word.Length; i++)
        {
            var c = RussianText.ToLower(word[i]);
            latin[i] = c switch
            {
                'а' => 'a', 'в' => 'b', 'с' => 'c', 'е' => 'e', 'н' => 'h', 'і' => 'i', 'к' => 'k', 'м' => 'm', 'о' => 'o',
                'р' => 'p', 'т' => 't', 'у' => 'y', 'х' => 'x', _ => RussianText.IsCyrillic(c) ? '\0' : c,
            };
            if (latin[i] == '\0')
                return 0;
        }
        return Latin(latin, output);
    }

    /// <summary>Collapses runs of one letter in a lexicon entry, as words are collapsed before lookup.</summary>
    public static string Collapse(string s)
    {
        Span<char> buffer = stackalloc char[s.Length];
        var length = 0;
        var previous = '\0';
        foreach (var raw in s)
        {
            var c = raw is 'ё' ? 'е' : raw is 'ъ' ? 'ь' : raw;
            if (c == previous)
                continue;
            buffer[length++] = previous = c;
        }
        return new string(buffer[..length]);
    }
}
