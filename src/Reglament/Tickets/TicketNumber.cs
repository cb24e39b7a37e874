using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reglament.Tickets;

/// <summary>The number a person reads out on the phone: <c>RG-000042</c> ("эр-гэ ноль-ноль-ноль-сорок два").
/// Digits only after a short prefix, so it survives dictation and a subject line tag <c>[RG-000042]</c>.</summary>
public readonly partial record struct TicketNumber(long Value)
{
    public const string Prefix = "RG-";

    public override string ToString() => Prefix + Value.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The tag Reglament puts in subjects so that replies thread back.</summary>
    public string SubjectTag => "[" + ToString() + "]";

    /// <summary>Finds the first ticket tag in a text, tolerating a Cyrillic "РГ", spaces and a missing dash.</summary>
    public static bool TryFind(string? text, [NotNullWhen(true)] out TicketNumber? number)
    {
        number = null;
        if (string.IsNullOrEmpty(text))
            return false;
        var match = TagPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            return false;
        number = new TicketNumber(value);
        return true;
    }

    /// <summary>Parses exactly "RG-000042" (or "000042"); anything else is not a ticket number.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TicketNumber? number)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        if (s.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            s = s[Prefix.Length..];
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            return false;
        number = new TicketNumber(value);
        return true;
    }

    [GeneratedRegex(@"(?<![\p{L}\d])(?:RG|РГ)[\s-]?(\d{1,12})(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
