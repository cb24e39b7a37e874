using System.Text;

namespace Reglament.Fuzz;

/// <summary>The seed corpus: the real client mail of the test corpora (copied beside the harness at build) and small
/// messages of the shapes that client mail takes and those corpora lack, written here rather than committed as
/// files. <c>reglament-fuzz seeds DIR</c> writes them all out for libFuzzer or AFL.</summary>
public static class Seeds
{
    /// <summary>Every seed by name, the generated ones first.</summary>
    public static IEnumerable<(string Name, byte[] Content)> All()
    {
        foreach (var (name, text) in Generated)
            yield return (name, Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")));
        var folder = Path.Combine(AppContext.BaseDirectory, "Seeds");
        if (!Directory.Exists(folder))
            yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "*.eml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return (Path.GetRelativePath(folder, file).Replace('/', '-'), File.ReadAllBytes(file));
    }

    private const string From = "From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <it@romashka.test>\nTo: support@example.ru\nMessage-ID: <seed@romashka.test>\nDate: Tue, 23 Apr 2024 10:00:00 +0300\nMIME-Version: 1.0\n";

    private static readonly (string Name, string Text)[] Generated =
    [
        ("plain-reply-quoted", From + "Subject: Re: [RG-000042] Сайт\nIn-Reply-To: <a@desk>\nReferences: <a@desk>\nContent-Type: text/plain; charset=utf-8\n\nВсё ещё не работает.\n\n23.04.2024, 10:00, \"Поддержка\" <support@example.ru>:\n> Проверьте DNS.\n> -- \n> Поддержка\n"),
        ("flowed-delsp", From + "Subject: Сайт\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\nЛогин u10001. Сайт не открывается, \nошибка 502.\n-- \nИван\n"),
        ("html-blockquote", From + "Subject: Re: Сайт\nContent-Type: text/html; charset=utf-8\n\n<div>Нет, не помогло.</div><div class=\"gmail_quote\">пн, 22 апр. 2024 г. в 10:00, Поддержка:<blockquote><p>Очистите кэш.</p><blockquote>старое</blockquote></blockquote></div>\n"),
        ("alternative-koi8r-qp", From + "Subject: =?koi8-r?Q?=F3=C1=CA=D4?=\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n--alt\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n=EC=CF=C7=C9=CE u10001\n--alt\nContent-Type: text/html; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n<p>=EC=CF=C7=C9=CE u10001</p>\n--alt--\n"),
        ("related-inline-image", From + "Subject: Скриншот\nContent-Type: multipart/related; boundary=\"rel\"\n\n--rel\nContent-Type: text/html; charset=utf-8\n\n<p>Ошибка на скриншоте <img src=\"cid:shot@x\"></p>\n--rel\nContent-Type: image/png\nContent-ID: <shot@x>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n--rel--\n"),
        ("forward-as-attachment", From + "Subject: Fwd: письмо\nContent-Type: multipart/mixed; boundary=\"mix\"\n\n--mix\nContent-Type: text/plain; charset=utf-8\n\nПересылаю.\n--mix\nContent-Type: message/rfc822\n\nFrom: a@b.test\nSubject: =?utf-8?Q?=D0=9E=D1=88=D0=B8=D0=B1=D0=BA=D0=B0?=\nContent-Type: text/plain\n\ninner\n--mix--\n"),
        ("delivery-report", "From: MAILER-DAEMON@example.ru\nTo: support@example.ru\nSubject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"rep\"\n\n--rep\nContent-Type: text/plain\n\nfailed\n--rep\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.ru\n\nFinal-Recipient: rfc822; x@y.test\nAction: failed\nStatus: 5.1.1\n--rep--\n"),
        ("vacation", From + "Subject: Автоответ: Сайт\nX-Autoreply: yes\nContent-Type: text/plain; charset=utf-8\n\nЯ в отпуске до 1 мая.\n"),
        ("undeclared-8bit-header", "From: it@romashka.test\nSubject: \xcd\xe5 \xf0\xe0\xe1\xee\xf2\xe0\xe5\xf2\nContent-Type: text/plain\n\nbody\n"),
        ("nested-multipart", From + "Subject: x\nContent-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nt\n--b--\n--a\nContent-Type: application/pdf; name*=utf-8''%D1%81%D1%87%D1%91%D1%82.pdf\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--a--\n"),
        ("authentication-results", From + "Subject: Сайт\nAuthentication-Results: mx.example.ru; dkim=pass header.d=romashka.test; spf=pass smtp.mailfrom=romashka.test; dmarc=pass\nContent-Type: text/plain; charset=utf-8\n\nЛогин u10001.\n"),
        ("outlook-original-message", From + "Subject: RE: Сайт\nContent-Type: text/plain; charset=utf-8\n\nДа.\n\n-----Original Message-----\nFrom: Поддержка\nSent: Monday, April 22, 2024 10:00 AM\nSubject: Сайт\n\nОчистите кэш.\n"),
    ];
}
