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
public sealed record RudeFragment(RudenessKind Kind, int Start, int Length, string Text, string Entry);

/// <summary>The detector's verdict with its evidence. Not rude when <see cref="Fragments"/> is empty.</summary>
/// <param name="Fragments">Every offending fragment, in text order.</param>
public sealed record RudenessVerdict(IReadOnlyList<RudeFragment> Fragments)
{
    /// <summary>A verdict without findings.</summary>
    public static RudenessVerdict Clean { get; } = new([]);

    /// <summary>True when at least one fragment was found.</summary>
    public bool IsRude => Fragments.Count > 0;

    /// <summary>Obscene when any fragment is obscene, Insult when only insults were found, null when clean.</summary>
    public RudenessKind? Kind => Fragments.Count == 0 ? null
        : Fragments.Any(f => f.Kind == RudenessKind.Obscene) ? RudenessKind.Obscene : RudenessKind.Insult;
}
