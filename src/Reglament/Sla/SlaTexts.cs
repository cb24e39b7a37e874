using System.Globalization;
using System.Resources;

namespace Reglament.Sla;

/// <summary>The clock's explanation in words, from resources (<c>SlaTexts.resx</c> Russian, <c>SlaTexts.en.resx</c>
/// English): what each event was and what it did to the deadline.</summary>
public static class SlaTexts
{
    private static readonly ResourceManager Resources = new("Reglament.Sla.SlaTexts", typeof(SlaTexts).Assembly);

    /// <summary>A text in Russian and English, for the pages' <c>L[(ru, en)]</c>.</summary>
    public static (string Russian, string English) Both(string name) => (Get(name, Mail.ReplyTexts.Russian), Get(name, Mail.ReplyTexts.English));

    private static string Get(string name, CultureInfo culture) =>
        Resources.GetString(name, culture) ?? throw new InvalidOperationException($"Missing SLA text '{name}'.");

    /// <summary>"Ответ абоненту (ответ инженера)", "Изменена критичность (срочная)" — the event in words.</summary>
    public static (string Russian, string English) Describe(SlaStep step)
    {
        var (ru, en) = Both("Kind_" + step.Kind);
        var detail = step switch
        {
            { Response: { } how } => Both("Response_" + how),
            { Kind: SlaEventKind.DecisionOverridden, Outcome: { } outcome } => Both(outcome),
            { Criticality: { } criticality } => Both(criticality),
            _ => default,
        };
        return detail.Item1 is null ? (ru, en) : ($"{ru} ({detail.Item1})", $"{en} ({detail.Item2})");
    }

    private static (string Russian, string English) Both<TEnum>(TEnum value) where TEnum : struct, Enum =>
        (Web.DomainText.Get(value, Mail.ReplyTexts.Russian), Web.DomainText.Get(value, Mail.ReplyTexts.English));

    public static (string Russian, string English) Effect(SlaEffect effect) => Both("Effect_" + effect);
}
