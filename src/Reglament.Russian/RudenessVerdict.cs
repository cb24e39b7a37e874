namespace Reglament.Russian;

/// <summary>What kind of rudeness a fragment is (R10/R11d of the support regulation this library was written for).</summary>
public enum RudenessKind
{
    /// <summary>Obscene language (мат) or swear words.</summary>
    Obscene,
    /// <summary>An insult aimed at people.</summary>
    Insult,
}

/// <summary>One offending fragment: where it is in the analysed text, what it is, and which lexicon entry matched.</summary>
/// <param name="Kind">Obscene word or insult.</param>
/// <param name="Start">Offset of the fragment in the analysed text (UTF-16 code units).</param>
/// <param name="Length">Length of the fragment in the analysed text.</param>
/// <param name="Text">The fragment exactly as written.</param>
/// <param name="Entry">The lexicon entry it matched, as configured (for example <c>^бля</c>).</param>
public sealed record RudeFragment(RudenessKind Kind, int Start, int Length, string Text, string Entry)
{
    /// <summary>How sure the detector is that this fragment is rude, in (0, 1]: see <see cref="RudenessConfidence"/>.</summary>
    public double Confidence { get; init; } = RudenessConfidence.Certain;
}

/// <summary>The confidences the detector gives its findings (the defaults of <see cref="RudenessLexicon"/>).</summary>
public static class RudenessConfidence
{
    /// <summary>Obscene words, swearing, strong insults aimed at people, a weak insult next to a target ("вы тупые",
    /// "ваши админы — бараны"), dismissals ("пошли вы").</summary>
    public const double Certain = 1.0;

    /// <summary>An insult by implication: a rhetorical question that demeans the reader or the staff ("вам читать
    /// учили?", "вас по объявлению набирают?", "есть хоть кто-то с мозгами?"). Unsure: the patterns were written from
    /// a few examples and a refusal accuses a customer, so the desk leaves it to an engineer (below its review
    /// threshold, 0.8).</summary>
    public const double ImplicitInsult = 0.7;

    /// <summary>A weak insult word aimed at a third-person pronoun that stands for the staff ("ваш инженер Сергей… он
    /// просто клоун"). Weak insults next to "вы", "ваши админы", "инженеры" stay <see cref="Certain"/>.</summary>
    public const double ThirdPersonInsult = 0.7;

    /// <summary>A finding that may be something else: an insult word aimed at nobody in particular ("Понабрали
    /// двоечников."), an animal word near the reader but not said of him, a short Russian word in Latin letters
    /// ("suka", "huy": also names and abbreviations), swearing in a capitalised quotation (a title). Unsure: an engineer
    /// looks; nobody is refused on it.</summary>
    public const double Doubtful = 0.7;

    /// <summary>A sentence the learned insult model (<see cref="InsultModel"/>) reads as an insult while the lexicon and
    /// the patterns found nothing in it: name-calling with a word outside the lexicon, a demeaning question of a new
    /// shape. Unsure, below the others: a statistical guess for an engineer, never a refusal.</summary>
    public const double Learned = 0.6;

    /// <summary>Two unsure findings of different kinds in one text (<see cref="RudenessVerdict.Confidence"/>): sure
    /// enough for the desk to refuse (above its review threshold, 0.8), still short of <see cref="Certain"/>. On the
    /// rudeness corpora (2,000 clean texts) no clean text has two findings.</summary>
    public const double Corroborated = 0.9;
}

/// <summary>The detector's three outcomes.</summary>
public enum RudenessLevel
{
    /// <summary>Nothing found.</summary>
    Clean,
    /// <summary>Found, but every fragment has a confidence below <see cref="RudenessConfidence.Certain"/>: an
    /// application may route it to a person rather than act on it.</summary>
    Unsure,
    /// <summary>At least one certain fragment.</summary>
    Rude,
}

/// <summary>The detector's verdict with its evidence. Not rude when <see cref="Fragments"/> is empty.</summary>
public sealed record RudenessVerdict
{
    /// <param name="fragments">Every offending fragment, in text order.</param>
    public RudenessVerdict(IReadOnlyList<RudeFragment> fragments)
    {
        Fragments = fragments;
        // Computed once: Level and IsUnsure read it again, and corroboration walks the fragments.
        Confidence = fragments.Count == 0 ? 0 : Math.Max(fragments.Max(f => f.Confidence), Corroborated(fragments));
    }

    /// <summary>Every offending fragment, in text order. Get-only (no <c>with</c>), so <see cref="Confidence"/>
    /// always belongs to these fragments.</summary>
    public IReadOnlyList<RudeFragment> Fragments { get; }

    /// <summary>A verdict without findings.</summary>
    public static RudenessVerdict Clean { get; } = new([]);

    /// <summary>True when at least one fragment was found, certain or not (see <see cref="Level"/>).</summary>
    public bool IsRude => Fragments.Count > 0;

    /// <summary>The highest confidence of the fragments, or — when two unsure findings of different kinds agree
    /// ("вы там читать умеете, или вас по объявлению набирают?": a skill denied and a demeaning hiring) — their
    /// combined confidence, at most <see cref="RudenessConfidence.Corroborated"/>; 0 when clean.</summary>
    public double Confidence { get; }

    private static double Corroborated(IReadOnlyList<RudeFragment> fragments)
    {
        // Independent clues combine (noisy-or): each says "rude" with its own confidence. The learned model's guesses
        // never count — it must not take part in a refusal — nor does one entry found twice.
        var unsure = fragments.Where(f => f.Confidence is >= RudenessConfidence.ImplicitInsult and < RudenessConfidence.Certain)
            .DistinctBy(f => f.Entry).ToList();
        if (unsure.Count < 2)
            return 0;
        return Math.Min(RudenessConfidence.Corroborated, 1 - unsure.Aggregate(1.0, (p, f) => p * (1 - f.Confidence)));
    }

    /// <summary>Clean, Unsure (found, but with a confidence below 1) or Rude.</summary>
    public RudenessLevel Level => Fragments.Count == 0 ? RudenessLevel.Clean
        : Confidence >= RudenessConfidence.Certain ? RudenessLevel.Rude : RudenessLevel.Unsure;

    /// <summary>True when something was found, but nothing certain (<see cref="RudenessLevel.Unsure"/>).</summary>
    public bool IsUnsure => Level == RudenessLevel.Unsure;

    /// <summary>Obscene when any fragment is obscene, Insult when only insults were found, null when clean.</summary>
    public RudenessKind? Kind => Fragments.Count == 0 ? null
        : Fragments.Any(f => f.Kind == RudenessKind.Obscene) ? RudenessKind.Obscene : RudenessKind.Insult;
}
