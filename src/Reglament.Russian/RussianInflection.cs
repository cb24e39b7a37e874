namespace Reglament.Russian;

/// <summary>Every case and number of a Russian noun or adjective from its dictionary form, by the regular
/// declension patterns: the lexicon names insults by lemma ("остолоп", "тупица", "безмозглый") and the detector
/// looks up whatever form a writer used ("остолопами", "тупицей", "безмозглые").
/// <para>Generation leans towards too many forms rather than too few: where the stress or a fleeting vowel decides
/// between two endings ("подлеца" / "мерзавца", "дураком" / "тупицей"), both are produced; a form that is not a real
/// word costs nothing, because nobody writes it. Irregular words are written out with the <c>a(b|c)</c> notation
/// instead (<see cref="RudenessLexicon"/>).</para></summary>
public static class RussianInflection
{
    private const string Sibilants = "жшчщ";
    private const string Velars = "гкх";

    /// <summary>The forms of <paramref name="lemma"/> (lower case; <c>ё</c> kept as written). A lemma ending in
    /// -ый/-ий/-ой is declined as an adjective (with its plural short form: "тупы"), -а/-я, -о/-е, -ь, -й and a
    /// consonant as nouns; plural-only collectives in -ье/-ьё as neuters.</summary>
    public static IReadOnlyList<string> Forms(string lemma)
    {
        ArgumentNullException.ThrowIfNull(lemma);
        var word = lemma.Trim().ToLowerInvariant();
        var forms = new List<string>(24) { word };
        if (word.Length < 3 || !word.All(RussianText.IsCyrillic))
            return forms;
        var last = word[^1];
        if (word.EndsWith("ый", StringComparison.Ordinal) || word.EndsWith("ий", StringComparison.Ordinal) || word.EndsWith("ой", StringComparison.Ordinal))
            Adjective(word[..^2], forms);
        else if (word.EndsWith("ье", StringComparison.Ordinal) || word.EndsWith("ьё", StringComparison.Ordinal))
            Add(forms, word[..^1], "е", "ё", "я", "ю", "ем", "ём");
        else if (last == 'а')
            FirstDeclension(word[..^1], soft: false, forms);
        else if (last == 'я')
            FirstDeclension(word[..^1], soft: true, forms);
        else if (last is 'о' or 'е')
            Neuter(word[..^1], forms);
        else if (last == 'ь')
            Add(forms, word[..^1], "я", "ю", "ем", "ём", "е", "и", "ей", "ям", "ями", "ях", "ью");
        else if (last == 'й')
            Add(forms, word[..^1], "я", "ю", "ем", "е", "и", "ев", "ям", "ями", "ях");
        else if (!"аеёиоуыэюяь".Contains(last, StringComparison.Ordinal))
            Masculine(word, forms);
        return [.. forms.Distinct(StringComparer.Ordinal)];
    }

    private static void Masculine(string word, List<string> forms)
    {
        MasculineStem(word, forms);
        // A fleeting vowel: "придурок" → "придурка", "мерзавец" → "мерзавца", "хлебушек" → "хлебушка"; the full stem
        // stays too ("подлец" → "подлеца").
        // Only these endings: a general rule ("осёл" → "осла") also makes "осела", a verb; such words are written out.
        if (word.Length >= 5 && (word.EndsWith("ок", StringComparison.Ordinal) || word.EndsWith("ек", StringComparison.Ordinal)
            || word.EndsWith("ёк", StringComparison.Ordinal) || word.EndsWith("ец", StringComparison.Ordinal)))
        {
            var stem = word[..^2] + word[^1];
            // "хлебушек" → "хлебушк-", "паренёк" → "паренька", "боец" → "бойца".
            if (stem.Length >= 2 && "аеиоуяю".Contains(stem[^2], StringComparison.Ordinal))
                stem = stem[..^1] + "й" + stem[^1];
            if (stem.Length >= 2 && stem[^2] == 'л' && word[^2] is 'е' or 'ё')
                MasculineStem(stem[..^1] + "ь" + stem[^1], forms, withLemma: false);
            MasculineStem(stem, forms, withLemma: false);
        }
    }

    private static void MasculineStem(string stem, List<string> forms, bool withLemma = true)
    {
        var end = stem[^1];
        var y = Velars.Contains(end, StringComparison.Ordinal) || Sibilants.Contains(end, StringComparison.Ordinal) ? "и" : "ы";
        if (withLemma)
            forms.Add(stem);
        Add(forms, stem, "а", "у", "ом", "е", y, "ам", "ами", "ах");
        if (Sibilants.Contains(end, StringComparison.Ordinal))
            Add(forms, stem, "ей", "ем");
        else if (end == 'ц')
            Add(forms, stem, "ев", "ем", "ов");
        else
            Add(forms, stem, "ов");
    }

    private static void FirstDeclension(string stem, bool soft, List<string> forms)
    {
        if (stem.Length == 0)
            return;
        var end = stem[^1];
        if (soft)
        {
            Add(forms, stem, "я", "и", "е", "ю", "ей", "ею", "ям", "ями", "ях", "ей");
            // "мямля" → "мямль"; "свинья" → "свиней" is written out by the lexicon.
            if (end != 'ь')
                forms.Add(stem + "ь");
            return;
        }
        var y = Velars.Contains(end, StringComparison.Ordinal) || Sibilants.Contains(end, StringComparison.Ordinal) ? "и" : "ы";
        Add(forms, stem, "а", y, "е", "у", "ой", "ою", "ам", "ами", "ах");
        if (Sibilants.Contains(end, StringComparison.Ordinal) || end == 'ц')
            Add(forms, stem, "ей", "ею");
        // The bare genitive plural ("тупиц") unless it looks like a past tense ("кидал", "дурил").
        if (stem[^1] != 'л')
            forms.Add(stem);
        // Genitive plural with an inserted vowel: "недоучка" → "недоучек", "тряпка" → "тряпок", "дурилка" → "дурилок".
        if (stem.Length >= 3 && end == 'к' && !"аеёиоуыэюя".Contains(stem[^2], StringComparison.Ordinal))
        {
            var before = stem[^2];
            if (before is 'ь' or 'й')
                forms.Add(stem[..^2] + "ек");
            else
                forms.Add(stem[..^1] + (Sibilants.Contains(before, StringComparison.Ordinal) || before == 'ц' ? "ек" : "ок"));
        }
    }

    private static void Neuter(string stem, List<string> forms)
    {
        Add(forms, stem, "о", "е", "а", "у", "ом", "ем", "ам", "ами", "ах");
        // The bare genitive plural ("чучел") unless it looks like a past tense ("пугал", "мурл") or is too short ("чм").
        if (stem.Length >= 4 && stem[^1] != 'л')
            forms.Add(stem);
    }

    private static void Adjective(string stem, List<string> forms)
    {
        if (stem.Length == 0)
            return;
        var end = stem[^1];
        var soft = Velars.Contains(end, StringComparison.Ordinal) || Sibilants.Contains(end, StringComparison.Ordinal);
        var y = soft ? "и" : "ы";
        Add(forms, stem, y + "й", "ой", "ого", "ому", y + "м", "ом", "ая", "ую", "ою", "ое", y + "е", y + "х", y + "ми",
            // The plural short form ("вы тупы", "вы безмозглы"); the neuter short form is an adverb ("тупо не работает").
            y);
        if (Sibilants.Contains(end, StringComparison.Ordinal) || end == 'ц')
            Add(forms, stem, "его", "ему", "ей", "ее", "ем");
    }

    private static void Add(List<string> forms, string stem, params ReadOnlySpan<string> endings)
    {
        foreach (var ending in endings)
            forms.Add(stem + ending);
    }
}
