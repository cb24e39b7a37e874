using System.Net;
using System.Text.RegularExpressions;

namespace Reglament.Intake;

/// <summary>Text of an HTML-only mail for the rules to read. Deliberately plain: block ends become line breaks,
/// tags go, entities are decoded; the display uses the sanitized HTML instead.</summary>
public static partial class HtmlText
{
    public static string ToPlainText(string html)
    {
        var withoutInvisible = Invisible().Replace(html, "");
        var withBreaks = BlockEnd().Replace(withoutInvisible, "\n");
        var text = WebUtility.HtmlDecode(Tag().Replace(withBreaks, ""));
        return Blank().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n\s*\n\s*(\n\s*)+")]
    private static partial Regex Blank();
}
