using System.Globalization;
using System.Resources;

namespace Reglament.Intake;

/// <summary>The names of the quarantine reasons people read (the administration pages, the CLI), from resources:
/// Russian first, English beside it, as everywhere on the desk.</summary>
public static class QuarantineReasons
{
    private static readonly ResourceManager Resources = new("Reglament.Intake.QuarantineReasons", typeof(QuarantineReasons).Assembly);

    public static string Get(QuarantineReason reason, CultureInfo culture) =>
        Resources.GetString(reason.ToString(), culture) ?? reason.ToString();

    /// <summary>«слишком сложное / too complex».</summary>
    public static string Describe(QuarantineReason reason) =>
        $"{Get(reason, Mail.ReplyTexts.Russian)} / {Get(reason, Mail.ReplyTexts.English)}";
}
