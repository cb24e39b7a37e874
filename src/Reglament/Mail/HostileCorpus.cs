using System.Text;

namespace Reglament.Mail;

/// <summary>The hostile mail of issue #18, generated in memory (nothing large is committed): each case is a whole
/// RFC 5322 message from an authorized contact, so what is measured or tested is intake's handling of its shape alone.
/// In the app, not the tests, because both use it: <c>reglament bench hostile</c> times each case in its own
/// <c>ingest</c> process, and HostileMailTests asserts each one's outcome.</summary>
public static class HostileCorpus
{
    /// <summary>The tests' authorized contact; the bench passes one of its own subscribers instead.</summary>
    public const string Sender = "it@romashka.test";

    private const string Request = "Логин u10001. Сайт не открывается, ошибка 502.";

    public static IEnumerable<string> Names => Cases.Keys;

    public static byte[] Get(string name, string sender = Sender) => Cases[name](sender);

    private static readonly Dictionary<string, Func<string, byte[]>> Cases = new(StringComparer.Ordinal)
    {
        // The shapes issue #18 found (each took minutes, or a gigabyte, before).
        ["unclosed-script-10000"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<script>", 10_000)),
        ["unclosed-script-40000"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<script>x", 40_000)),
        ["nested-blockquote-50000"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<blockquote>", 50_000) + "цитата" + Repeat("</blockquote>", 50_000)),
        ["line-of-ot-5mb"] = from => Plain(from, Request + "\n" + Repeat("от ", 5 * 1024 * 1024 / 3) + ":\n"),
        ["small-tags-20mb"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<b>x</b>", 20 * 1024 * 1024 / 8)),
        ["unclosed-small-tags-20mb"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<i>", 20 * 1024 * 1024 / 3)),
        ["header-line-20mb"] = from => Message(from, "X-Filler: " + Repeat("a", 20 * 1024 * 1024) + "\n", "text/plain", Request),
        // Large HTML, within the work limits (Mail:Limits) or just over them. A log pasted into a mail: 60,000
        // paragraphs, 1.6 MB, took 13 s to sanitize when the time budget alone stopped it.
        ["html-paragraphs-30000"] = from => Html(from, $"<p>{Request}</p>" + Lines(30_000, i => $"<p>строка журнала {i}</p>")),
        ["html-paragraphs-60000"] = from => Html(from, $"<p>{Request}</p>" + Lines(60_000, i => $"<p>строка журнала {i}</p>")),
        // Just under MaxHtmlElements (50,000) and MaxHtmlDepth (512): the most elements and the deepest nests allowed,
        // bare, with styles (a CSS parse each when sanitized) and with links (a URL check each); and over it.
        ["html-elements-49000"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<p>x</p>", 49_000)),
        ["html-nested-500-x-90"] = from => Html(from, $"<p>{Request}</p>" + Repeat(Repeat("<div>", 500) + "x" + Repeat("</div>", 500), 90)),
        ["html-styles-49000"] = from => Html(from, $"<p>{Request}</p>" + Styled(49_000)),
        ["html-links-49000"] = from => Html(from, $"<p>{Request}</p>" + Links(49_000)),
        ["html-elements-199000"] = from => Html(from, $"<p>{Request}</p>" + Repeat("<p>x</p>", 199_000)),
        ["html-styles-100000"] = from => Html(from, $"<p>{Request}</p>" + Styled(100_000)),
        ["html-links-100000"] = from => Html(from, $"<p>{Request}</p>" + Links(100_000)),
        // Attributes, which no element count sees.
        ["html-attributes-100000"] = from => Html(from, $"<p>{Request}</p><p " + Lines(100_000, i => $"a{i}=\"x\" ") + ">x</p>"),
    };

    private static string Styled(int count) => Lines(count, i => $"<span style=\"color:#c00;font-weight:bold;margin:{i % 10}px\">x</span>");

    private static string Links(int count) => Lines(count, i => $"<a href=\"https://example.test/{i}?q=x\">l</a>");

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    private static string Lines(int count, Func<int, string> line)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
            text.Append(line(i)).Append('\n');
        return text.ToString();
    }

    private static byte[] Html(string from, string body) => Message(from, "", "text/html", "<html><body>" + body + "</body></html>");

    private static byte[] Plain(string from, string body) => Message(from, "", "text/plain", body);

    private static byte[] Message(string from, string headers, string type, string body) => Encoding.UTF8.GetBytes(
        $"From: {from}\r\nTo: support@example.ru\r\nSubject: Не работает сайт\r\nMessage-ID: <{Guid.NewGuid():N}@romashka.test>\r\n{headers}" +
        $"Content-Type: {type}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n");
}
