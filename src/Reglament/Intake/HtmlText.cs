using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Reglament.Mail;

namespace Reglament.Intake;

/// <summary>Text of an HTML-only mail for the rules to read. Deliberately plain: block ends become line breaks,
/// tags go, entities are decoded; the display uses the sanitized HTML instead. A real HTML parser (AngleSharp, the
/// one HtmlSanitizer uses) instead of regular expressions: an unclosed &lt;script&gt; or a deep nest of quotes made
/// the expressions quadratic, while the parser reads the document once. The parser itself is linear only in
/// documents of bounded depth, so <see cref="TooComplex"/> is asked first.</summary>
public static partial class HtmlText
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> Invisible = new(StringComparer.Ordinal) { "script", "style", "head", "template" };

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    };

    /// <summary>Elements without content: they never deepen the tree.</summary>
    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    /// <summary>Elements whose end tag may be left out (the next one closes them), so they are not counted as depth:
    /// a mail of 300 unclosed &lt;p&gt; is flat, not 300 deep.</summary>
    private static readonly HashSet<string> ImpliedEnd = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rt", "rp",
    };

    /// <summary>Elements whose content is raw text up to their own end tag: tags inside them are not tags.</summary>
    private static readonly string[] RawText = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"];

    public static string ToPlainText(string html) => Convert(Parser.ParseDocument(html), markQuotes: false);

    /// <summary>The text, and the text with every line inside a blockquote marked "&gt; " (Gmail, Apple Mail,
    /// Thunderbird, Mail.ru, Yandex quote the earlier messages in them), from one parse: the marked text is what
    /// <see cref="QuotedText.NewText"/> reads, so HTML and plain mail are cut by the same rules, and an answer written
    /// between two quotes is kept.</summary>
    public static (string Text, string QuotesMarked) ToPlainTexts(string html, CancellationToken cancellationToken = default) =>
        ToPlainTexts(Parse(html, cancellationToken), cancellationToken);

    public static IDocument Parse(string html, CancellationToken cancellationToken = default)
    {
        var document = Parser.ParseDocument(html);
        cancellationToken.ThrowIfCancellationRequested();
        return document;
    }

    public static (string Text, string QuotesMarked) ToPlainTexts(IDocument document, CancellationToken cancellationToken = default) =>
        (Convert(document, markQuotes: false, cancellationToken), Convert(document, markQuotes: true, cancellationToken));

    /// <summary>What the sanitizer's work grows with, counted on the parsed tree: elements plus attributes (it
    /// visits each, and a style attribute costs a CSS parse), and the most children of any one node (it finds
    /// siblings through AngleSharp's search of the parent's list, so that part is quadratic in them).</summary>
    public static (int Nodes, int MostChildren) Markup(IDocument document, CancellationToken cancellationToken = default)
    {
        var nodes = 0;
        var mostChildren = 0;
        var stack = new Stack<INode>();
        stack.Push(document.DocumentElement);
        while (stack.Count > 0)
        {
            if (++nodes % 4096 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var node = stack.Pop();
            if (node is IElement element)
                nodes += element.Attributes.Length;
            var children = node.ChildNodes;
            mostChildren = Math.Max(mostChildren, children.Length);
            for (var i = 0; i < children.Length; i++)
            {
                if (children[i] is IElement)
                    stack.Push(children[i]);
            }
        }
        return (nodes, mostChildren);
    }

    /// <summary>Why the HTML is over the budget (too deep, too many elements), or null. One pass over the markup
    /// without building a tree: start tags deepen, end tags close back to their element, raw-text elements are
    /// skipped to their end tag (an unclosed &lt;script&gt; swallows the rest, as in a browser). The depth is an upper
    /// bound of the parser's: misnested markup that the parser would repair is counted as written.</summary>
    public static string? TooComplex(string html, IntakeLimits limits)
    {
        var open = new List<string>();
        // How many of each name are open: an end tag with none open is ignored without scanning the list, so the
        // scan below only ever walks over elements it then removes (linear overall).
        var openNames = new Dictionary<string, int>(StringComparer.Ordinal);
        var elements = 0;
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            i++;
            if (i >= html.Length)
                break;
            var closing = html[i] == '/';
            var start = closing ? i + 1 : i;
            var end = start;
            while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '-'))
                end++;
            if (end == start || !char.IsAsciiLetter(html[start]))
                continue;
            var name = html[start..end].ToLowerInvariant();
            var tagEnd = html.IndexOf('>', end);
            if (tagEnd < 0)
                break;
            i = tagEnd + 1;
            if (closing)
            {
                if (openNames.GetValueOrDefault(name) == 0)
                    continue;
                var at = open.LastIndexOf(name);
                for (var k = at; k < open.Count; k++)
                    openNames[open[k]]--;
                open.RemoveRange(at, open.Count - at);
                continue;
            }
            if (++elements > limits.MaxHtmlElements)
                return $"the HTML body has more than {limits.MaxHtmlElements} elements";
            if (Array.IndexOf(RawText, name) >= 0)
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                if (close < 0)
                    break;
                i = close;
                continue;
            }
            if (Void.Contains(name) || ImpliedEnd.Contains(name) || html[tagEnd - 1] == '/')
                continue;
            open.Add(name);
            openNames[name] = openNames.GetValueOrDefault(name) + 1;
            if (open.Count > limits.MaxHtmlDepth)
                return $"the HTML body nests elements more than {limits.MaxHtmlDepth} deep";
        }
        return null;
    }

    /// <summary>An iterative walk (no recursion, so no depth can overflow the stack).</summary>
    private static string Convert(IDocument document, bool markQuotes, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var stack = new Stack<(INode Node, bool Leaving)>();
        stack.Push((document.DocumentElement, false));
        var visited = 0;
        while (stack.Count > 0)
        {
            // Intake's per-message budget (IntakeBudget), looked at every few thousand nodes.
            if (++visited % 4096 == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var (node, leaving) = stack.Pop();
            if (node is IElement element)
            {
                var name = element.LocalName;
                if (leaving)
                {
                    if (markQuotes && name == "blockquote")
                        NewLine(text).Append(QuoteEnd).Append('\n');
                    else if (Blocks.Contains(name))
                        text.Append('\n');
                    continue;
                }
                if (Invisible.Contains(name))
                    continue;
                if (markQuotes && name == "blockquote")
                    NewLine(text).Append(QuoteStart).Append('\n');
                if (name == "br")
                {
                    text.Append('\n');
                    continue;
                }
                stack.Push((node, true));
                // By index, not LastChild and PreviousSibling: AngleSharp finds a node's sibling by searching the
                // parent's list, so that walk was quadratic in the children of one element (60,000 paragraphs: 28 s).
                var children = node.ChildNodes;
                for (var i = children.Length - 1; i >= 0; i--)
                    stack.Push((children[i], false));
            }
            else if (node is IText textNode)
                text.Append(markQuotes ? textNode.Data.Replace(QuoteStart, ' ').Replace(QuoteEnd, ' ') : textNode.Data);
        }
        var plain = Blank().Replace(text.ToString(), "\n\n").Trim();
        return markQuotes ? MarkQuotedLines(plain) : plain;
    }

    private static StringBuilder NewLine(StringBuilder text) => text.Length == 0 || text[^1] == '\n' ? text : text.Append('\n');

    // Private-use characters that stand for a blockquote's start and end until the lines are marked.
    private const char QuoteStart = '\uE000';
    private const char QuoteEnd = '\uE001';

    /// <summary>Lines between the quote markers get "&gt; " once per level; the markers go.</summary>
    private static string MarkQuotedLines(string text)
    {
        var marked = new StringBuilder(text.Length + 64);
        var depth = 0;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && trimmed.All(c => c is QuoteStart or QuoteEnd || char.IsWhiteSpace(c)))
            {
                foreach (var c in trimmed)
                    depth = c == QuoteStart ? depth + 1 : c == QuoteEnd ? Math.Max(0, depth - 1) : depth;
                continue;
            }
            if (depth > 0)
                marked.Append('>', depth).Append(trimmed.Length > 0 ? " " : "");
            marked.Append(line).Append('\n');
        }
        return Blank().Replace(marked.ToString(), "\n\n").Trim();
    }

    // Non-backtracking: a long run of blank lines and spaces is matched in one pass.
    [GeneratedRegex(@"\n\s*\n\s*(?:\n\s*)+", RegexOptions.NonBacktracking)]
    private static partial Regex Blank();
}
