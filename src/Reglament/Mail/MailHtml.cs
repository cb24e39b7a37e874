using System.Text;
using System.Text.RegularExpressions;

namespace Reglament.Mail;

/// <summary>The HTML part of an outgoing message, derived from its plain text and nothing else: every character
/// escaped, blank lines make paragraphs, line breaks stay, http(s) addresses become links. One source means the two
/// parts of a message can never say different things, and no value (a subject, a name, a subscriber's words) can
/// become markup.</summary>
public static partial class MailHtml
{
    public static string FromText(string subject, string text)
    {
        var html = new StringBuilder(text.Length * 5 / 4 + 200);
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
        Escape(html, subject);
        html.Append("</title></head>\n<body>\n");
        foreach (var paragraph in ParagraphBreak().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n')))
        {
            if (paragraph.Trim().Length == 0)
                continue;
            html.Append("<p>");
            var lines = paragraph.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0)
                    html.Append("<br>\n");
                AppendLine(html, lines[i]);
            }
            html.Append("</p>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendLine(StringBuilder html, string line)
    {
        var at = 0;
        foreach (Match match in Link().Matches(line))
        {
            var url = match.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', '»', '"', '\'');
            Escape(html, line[at..match.Index]);
            html.Append("<a href=\"");
            Escape(html, url);
            html.Append("\">");
            Escape(html, url);
            html.Append("</a>");
            at = match.Index + url.Length;
        }
        Escape(html, line[at..]);
    }

    private static void Escape(StringBuilder html, string text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }
    }

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"https?://[^\s<>""'«»]+", RegexOptions.IgnoreCase)]
    private static partial Regex Link();
}
