using System.Text;
using BenchmarkDotNet.Attributes;
using Reglament.Russian;

namespace Reglament.Benchmarks;

/// <summary>The rudeness detector on realistic support e-mail bodies: Russian prose, quoted replies, an nginx log
/// excerpt, a PHP stack trace, a URL or two. Throughput = <see cref="CorpusBytes"/> (UTF-8) / mean time.</summary>
[MemoryDiagnoser]
public class RudenessBenchmarks
{
    private static readonly string[] Bodies =
    [
        """
        Здравствуйте!

        Логин u10001. С утра сайт romashka.example.ru не открывается, в браузере ошибка 502 Bad Gateway.
        Вчера вечером обновляли WordPress до 6.5 и плагин WooCommerce, после этого всё и началось.
        Шаги: открываю главную страницу, жду секунд 30, получаю 502. Панель управления открывается нормально.
        В логе ошибок вот что:
        2024/04/23 09:12:44 [error] 1234#0: *5678 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: romashka.example.ru, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/var/run/php/php8.2-fpm.sock"
        Скриншот прилагаю. Помогите, пожалуйста, это срочно — не работает интернет-магазин.

        --
        С уважением, Иван Петров, ООО «Ромашка»
        """,
        """
        Добрый день.
        ID клиента 104524. Прошу увеличить memory_limit до 512M и max_execution_time до 300 в php.ini для сайта.
        Сами сделать не можем — в панели эти параметры недоступны для изменения.
        > 22.04.2024 в 17:05 служба поддержки написала:
        > Здравствуйте! Ваша заявка зарегистрирована под номером RG-000041.
        > Критичность: Low. Срок ответа: 23.04.2024 17:00 (МСК).
        Спасибо!
        """,
        """
        Логин u10002. Блин, опять не работает почта: письма не уходят, клиент пишет
        "550 5.7.1 Message rejected: SPF check failed". Проверил SPF-запись: v=spf1 include:_spf.example.net ~all.
        Вы там что, совсем не следите за серверами? Это уже третий раз за месяц, это непрофессионально.
        PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/u10002/data/www/site.ru/index.php:12
        Stack trace: #0 {main} thrown in /var/www/u10002/data/www/site.ru/index.php on line 12
        sha256 архива: 4e1b5ed0f6a9c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8
        """,
        """
        Hello, our VPS 10.0.0.15 is down since 9:00 UTC, ping works but SSH times out. Login u10004.
        Steps: ssh root@vps.example.net -> "Connection timed out". Console shows kernel panic, screenshot attached.
        Это критично, стоит вся бухгалтерия! Сделайте что-нибудь, пожалуйста.
        """,
    ];

    private string corpus = "";

    /// <summary>UTF-8 size of the corpus, for MB/s.</summary>
    public int CorpusBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder();
        while (builder.Length < 1 << 20)
        {
            foreach (var body in Bodies)
                builder.Append(body).Append('\n');
        }
        corpus = builder.ToString();
        CorpusBytes = Encoding.UTF8.GetByteCount(corpus);
        Console.WriteLine($"// rudeness corpus: {CorpusBytes:N0} bytes UTF-8, {corpus.Length:N0} chars");
    }

    /// <summary>One mebibyte-sized corpus of e-mail bodies, analysed in one call.</summary>
    [Benchmark]
    public int AnalyzeCorpus() => RudenessDetector.Default.Analyze(corpus).Fragments.Count;

    private static readonly RudenessDetector WithoutModel = new(WithoutInsultModel());

    private static RudenessLexicon WithoutInsultModel()
    {
        var lexicon = RudenessLexicon.Default;
        lexicon.UseInsultModel = false;
        return lexicon;
    }

    /// <summary>The same corpus without the learned insult model's pass: what the model costs (an A/B in one run).</summary>
    [Benchmark]
    public int AnalyzeCorpusWithoutModel() => WithoutModel.Analyze(corpus).Fragments.Count;

    private const string RudeBody = """
        Логин u10007. Третий день не работает почта, а ваши горе-админы отвечают отписками.
        Тугодумы, я же писал: MX-запись указывает на старый сервер. Вы там читать умеете вообще?
        Какие-то боты долбят wp-login.php, но это отдельный вопрос. Пиздец, а не сервис.
        """;

    /// <summary>A rude body: insults to resolve (who they are aimed at), a third party, an implicit insult, мат.</summary>
    [Benchmark]
    public int AnalyzeRudeBody() => RudenessDetector.Default.Analyze(RudeBody).Fragments.Count;

    /// <summary>One typical body, as the intake pipeline calls it.</summary>
    [Benchmark]
    public int AnalyzeOneBody() => RudenessDetector.Default.Analyze(Bodies[0]).Fragments.Count;
}
