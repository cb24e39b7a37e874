using System.Text;

namespace Reglament.Tests.Mail;

/// <summary>The hostile mail of issue #18, generated in memory (nothing large is committed): each case is a whole
/// RFC 5322 message from an authorized contact, so what is tested is intake's handling of its shape alone.</summary>
public static class HostileCorpus
{
    public const string Sender = "it@romashka.test";

    private const string Request = "Логин u10001. Сайт не открывается, ошибка 502.";

    public static IEnumerable<string> Names => Cases.Keys;

    public static byte[] Get(string name) => Cases[name]();

    private static readonly Dictionary<string, Func<byte[]>> Cases = new(StringComparer.Ordinal)
    {
        ["unclosed-script-10000"] = () => Html($"<p>{Request}</p>" + Repeat("<script>", 10_000)),
        ["unclosed-script-40000"] = () => Html($"<p>{Request}</p>" + Repeat("<script>x", 40_000)),
        ["nested-blockquote-50000"] = () => Html($"<p>{Request}</p>" + Repeat("<blockquote>", 50_000) + "цитата" + Repeat("</blockquote>", 50_000)),
        ["line-of-ot-5mb"] = () => Plain(Request + "\n" + Repeat("от ", 5 * 1024 * 1024 / 3) + ":\n"),
        ["small-tags-20mb"] = () => Html($"<p>{Request}</p>" + Repeat("<b>x</b>", 20 * 1024 * 1024 / 8)),
        ["unclosed-small-tags-20mb"] = () => Html($"<p>{Request}</p>" + Repeat("<i>", 20 * 1024 * 1024 / 3)),
        ["header-line-20mb"] = () => Message("X-Filler: " + Repeat("a", 20 * 1024 * 1024) + "\n", "text/plain", Request),
    };

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    private static byte[] Html(string body) => Message("", "text/html", "<html><body>" + body + "</body></html>");

    private static byte[] Plain(string body) => Message("", "text/plain", body);

    private static byte[] Message(string headers, string type, string body) => Encoding.UTF8.GetBytes(
        $"From: {Sender}\r\nTo: support@example.ru\r\nSubject: Не работает сайт\r\nMessage-ID: <{Guid.NewGuid():N}@romashka.test>\r\n{headers}" +
        $"Content-Type: {type}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n");
}
