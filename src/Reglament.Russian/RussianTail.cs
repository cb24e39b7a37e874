namespace Reglament.Russian;

/// <summary>Does what follows an obscene root read as Russian suffixes and endings? "хер-ня", "сук-ин-ы", "бля-д-ство",
/// "pizd-ec", "za-eb-ali" do; "Хер-балайф", "Бля-хер", "Сука-буми", "Huizhou", "ebanking" do not — they are names,
/// brands and foreign words that merely start with the letters. Works on spans, without allocating: it runs only
/// when a root matched, but that is on ordinary text too.</summary>
internal static class RussianTail
{
    // Suffixes and endings in the detector's canonical spelling (lower case, ё → е, ъ → ь, doubled letters single).
    private static readonly string[] Morphs =
    [
        "а", "я", "о", "е", "у", "ю", "ы", "и", "й", "ь", "т", "д", "н", "к", "л", "в",
        "ой", "ый", "ий", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ым", "им", "ыми", "ими", "ого", "его", "ому", "ему",
        "ую", "юю", "ом", "ем", "ам", "ям", "ами", "ями", "ах", "ях", "ов", "ев", "ей", "ью",
        "ть", "ти", "ться", "ся", "сь", "ет", "ут", "ют", "ит", "ят", "ишь", "ешь", "ете", "ите", "ат",
        "ан", "ен", "ян", "ин", "он", "ун", "ец", "ок", "ек", "ик", "юк", "ак", "як", "ач", "ич", "уч", "юч", "ищ", "ял", "ал",
        "ел", "ил", "ол", "ул", "юл", "ств", "ск", "ну", "нут", "ур", "ир", "ар", "ыр", "ош", "еш", "уш", "ыш", "еж", "ыв", "ив",
        "ва", "ай", "яй", "уй", "ист", "ч", "от", "ад", "ыг", "ег", "ьн", "ьк", "шк", "ушк", "юшк", "очк",
        "ечк", "онк", "енк", "ц", "ль", "нь", "дь", "ци", "ыч",
        // "-бол" of пиздабол, балабол: the talker.
        "бол",
    ];

    private static readonly string[] EnglishSuffixes =
    [
        "", "s", "es", "ed", "er", "ers", "ing", "in", "ings", "y", "ty", "ter", "ters", "tier", "head", "heads", "hole", "holes",
        "face", "faces", "show", "storm", "load", "bag", "bags", "up", "ups", "wit", "wits", "tard", "tards", "off", "wad",
    ];

    private const int MaxMorphs = 6;

    /// <summary>A Cyrillic tail (canonical spelling) made of at most six suffixes and endings; empty fits.</summary>
    public static bool Fits(ReadOnlySpan<char> tail)
    {
        if (tail.Length == 0)
            return true;
        if (tail.Length > 16)
            return false;
        // reach[i, k]: the fewest morphs that spell tail[..i], k = 1 when the last is a lone consonant — two of those in
        // a row ("Hyu-n-d-ai") are not Russian; "ск", "ств", "нн" are morphs of their own.
        Span<byte> reach = stackalloc byte[(tail.Length + 1) * 2];
        reach.Fill(byte.MaxValue);
        reach[0] = 0;
        for (var i = 0; i < tail.Length; i++)
        {
            for (var k = 0; k < 2; k++)
            {
                var steps = reach[i * 2 + k];
                if (steps >= MaxMorphs)
                    continue;
                foreach (var morph in Morphs)
                {
                    var lone = morph.Length == 1 && !"аеиоуыэюяйь".Contains(morph[0], StringComparison.Ordinal);
                    if (lone && k == 1 || !tail[i..].StartsWith(morph, StringComparison.Ordinal))
                        continue;
                    var next = (i + morph.Length) * 2 + (lone ? 1 : 0);
                    if (reach[next] > steps + 1)
                        reach[next] = (byte)(steps + 1);
                }
            }
        }
        return reach[tail.Length * 2] != byte.MaxValue || reach[tail.Length * 2 + 1] != byte.MaxValue;
    }

    /// <summary>A Latin tail of a Russian word ("ec", "nya", "ali", "ets"), read in Cyrillic first.</summary>
    public static bool FitsLatin(ReadOnlySpan<char> tail)
    {
        if (tail.Length > 24)
            return false;
        Span<char> cyrillic = stackalloc char[tail.Length];
        var n = 0;
        var i = 0;
        while (i < tail.Length)
        {
            var rest = tail[i..];
            var (c, used) = rest switch
            {
                _ when rest.StartsWith("sch", StringComparison.Ordinal) => ('щ', 3),
                _ when rest.StartsWith("sh", StringComparison.Ordinal) => ('ш', 2),
                _ when rest.StartsWith("ch", StringComparison.Ordinal) => ('ч', 2),
                _ when rest.StartsWith("zh", StringComparison.Ordinal) => ('ж', 2),
                _ when rest.StartsWith("kh", StringComparison.Ordinal) => ('х', 2),
                _ when rest.StartsWith("ts", StringComparison.Ordinal) => ('ц', 2),
                _ when rest.StartsWith("ya", StringComparison.Ordinal) || rest.StartsWith("ja", StringComparison.Ordinal) || rest.StartsWith("ia", StringComparison.Ordinal) => ('я', 2),
                _ when rest.StartsWith("yu", StringComparison.Ordinal) || rest.StartsWith("ju", StringComparison.Ordinal) => ('ю', 2),
                _ when rest.StartsWith("ye", StringComparison.Ordinal) || rest.StartsWith("je", StringComparison.Ordinal) => ('е', 2),
                _ => (rest[0] switch
                {
                    'a' => 'а', 'b' => 'б', 'c' => i == tail.Length - 1 ? 'ц' : 'с', 'd' => 'д', 'e' => 'е', 'f' => 'ф', 'g' => 'г',
                    'h' => 'х', 'i' => 'и', 'j' => 'й', 'k' => 'к', 'l' => 'л', 'm' => 'м', 'n' => 'н', 'o' => 'о', 'p' => 'п',
                    'r' => 'р', 's' => 'с', 't' => 'т', 'u' => 'у', 'v' => 'в', 'w' => 'в', 'x' => 'х', 'y' => 'ы', 'z' => 'з',
                    '\'' => 'ь', _ => '?',
                }, 1),
            };
            if (c == '?')
                return false;
            if (n == 0 || cyrillic[n - 1] != c)
                cyrillic[n++] = c;
            i += used;
        }
        // A final "ы" read from "y" is as often "й" ("ebanyi", "nahuy"), a final "s" as often "сь" ("zaebalas'"): either fits.
        return Fits(cyrillic[..n]) || n > 0 && cyrillic[n - 1] is 'ы' or 'с' && Fits(cyrillic[..(n - 1)]);
    }

    /// <summary>An English ending after an English root: "fuck-ing", "shit-ty", "bitch-es" — not "Shit-kino", "Shit-tu".</summary>
    public static bool FitsEnglish(ReadOnlySpan<char> tail)
    {
        foreach (var suffix in EnglishSuffixes)
        {
            if (tail.SequenceEqual(suffix))
                return true;
        }
        return false;
    }
}
