using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Reglament.Mail;

/// <summary>Realistic generated mail for the ingestion benchmark: the mix a support mailbox sees — new requests in
/// UTF-8, windows-1251 (Outlook, with HTML), KOI8-R and HTML-only (Gmail), replies to earlier requests, unknown
/// senders and auto-replies — from a fixed seed, so runs are comparable.</summary>
public static class BenchMail
{
    public const int Subscribers = 50;

    private static readonly string[] Problems =
    [
        "Сайт не открывается, ошибка 502 Bad Gateway.", "VPS не отвечает по SSH с утра.", "Почта не отправляется, письма возвращаются.",
        "Прошу увеличить memory_limit в php.ini до 256M.", "Прошу восстановить из бэкапа базу данных за вчера.", "Подскажите, как подключить SSL-сертификат?",
        "Сайт очень медленно работает, страницы грузятся по 20 секунд.", "Не работает панель управления, ошибка 500.",
    ];

    public static string SubscribersCsv()
    {
        var csv = new StringBuilder("login,client_id,name,kind,status,services,registration_email,contacts\n");
        for (var i = 0; i < Subscribers; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"b{i:00000},9{i:00000},Абонент {i},Person,Active,SharedHosting;Vps;Mail;Backup,c{i}@bench.test,c{i}@bench.test;admin{i}@bench.test\n");
        return csv.ToString();
    }

    public static IEnumerable<byte[]> Generate(int count, int seed = 42)
    {
        var random = new Random(seed);
        var requests = new List<(string Id, string Subject, string From)>();
        for (var n = 0; n < count; n++)
        {
            var s = random.Next(Subscribers);
            var from = random.Next(2) == 0 ? $"c{s}@bench.test" : $"admin{s}@bench.test";
            var problem = Problems[random.Next(Problems.Length)];
            var body = $"Здравствуйте!\n\nЛогин b{s:00000}. {problem}\n\nС уважением,\nАбонент {s}";
            var message = new MimeMessage { MessageId = MimeUtils.GenerateMessageId("bench.test"), Date = DateTimeOffset.UnixEpoch.AddSeconds(n) };
            message.From.Add(new MailboxAddress($"Абонент {s}", from));
            message.To.Add(new MailboxAddress("Поддержка", "support@example.ru"));
            var kind = random.Next(100);
            if (kind < 25 && requests.Count > 0)
            {
                var earlier = requests[random.Next(requests.Count)];
                message.From.Clear();
                message.From.Add(MailboxAddress.Parse(earlier.From));
                message.Subject = "Re: " + earlier.Subject;
                message.InReplyTo = earlier.Id;
                message.References.Add(earlier.Id);
                message.Body = Plain($"Дополнение: проблема сохраняется.\n\n{DateTimeOffset.UnixEpoch:dd.MM.yyyy} 10:00, Поддержка пишет:\n> Ваша заявка зарегистрирована.\n", Encoding.UTF8);
            }
            else if (kind < 30)
            {
                message.From.Clear();
                message.From.Add(MailboxAddress.Parse($"stranger{n}@elsewhere.test"));
                message.Subject = "Помогите";
                message.Body = Plain(problem, Encoding.UTF8);
            }
            else if (kind < 35)
            {
                message.Subject = "Автоответ: " + problem[..20];
                message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
                message.Body = Plain("Я в отпуске до понедельника. Логин b" + s.ToString("00000", System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8);
            }
            else
            {
                message.Subject = problem.TrimEnd('.');
                message.Body = (kind % 4) switch
                {
                    0 => Alternative(body, Charsets.Windows1251),
                    1 => Plain(body, Charsets.Koi8R),
                    2 => new TextPart("html") { Text = "<div dir=\"ltr\">" + body.Replace("\n", "<br>", StringComparison.Ordinal) + "</div>" },
                    _ => Plain(body, Encoding.UTF8),
                };
                requests.Add((message.MessageId, message.Subject, from));
            }
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            yield return buffer.ToArray();
        }
    }

    private static TextPart Plain(string text, Encoding encoding)
    {
        var part = new TextPart("plain") { ContentTransferEncoding = encoding.CodePage == 65001 ? ContentEncoding.Base64 : ContentEncoding.QuotedPrintable };
        part.SetText(encoding, text);
        return part;
    }

    private static MultipartAlternative Alternative(string text, Encoding encoding)
    {
        var html = new TextPart("html") { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        html.SetText(encoding, "<html><body><p>" + text.Replace("\n", "<br>", StringComparison.Ordinal) + "</p></body></html>");
        return new MultipartAlternative { Plain(text, encoding), html };
    }
}
