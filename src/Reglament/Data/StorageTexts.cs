using System.Globalization;
using System.Resources;

namespace Reglament.Data;

/// <summary>What the storage tells an operator (schema behind, migration lock), from resources: <c>StorageTexts.resx</c>
/// Russian, <c>StorageTexts.en.resx</c> English. A message is both, Russian first — a Postfix log or a terminal has no
/// language of its own.</summary>
public static class StorageTexts
{
    private static readonly ResourceManager Resources = new("Reglament.Data.StorageTexts", typeof(StorageTexts).Assembly);

    public static string Both(string name, params object?[] args) =>
        Format(name, Mail.ReplyTexts.Russian, args) + " / " + Format(name, Mail.ReplyTexts.English, args);

    private static string Format(string name, CultureInfo culture, object?[] args) =>
        string.Format(culture, Resources.GetString(name, culture) ?? throw new InvalidOperationException($"Missing storage text '{name}'."), args);
}
