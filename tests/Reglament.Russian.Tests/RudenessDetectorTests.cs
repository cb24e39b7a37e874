namespace Reglament.Russian.Tests;

public sealed class RudenessDetectorTests
{
    private static readonly RudenessDetector Detector = RudenessDetector.Default;

    [Theory]
    [InlineData("х*й")]
    [InlineData("бля*дь")]
    [InlineData("хуй*ня")]
    [InlineData("пиздец*ы")]
    [InlineData("ебать*ся")]
    public void MaskedWord_WhoseVisiblePiecesOutrunAForm_IsJudgedWithoutCrashing(string word)
    {
        // A visible piece after the whole of a known form once threw ArgumentOutOfRangeException (rudeness dev set):
        // intake must judge any text in bounded time, never crash on it.
        var verdict = Detector.Analyze($"Логин u10001. Ну и {word} у вас с сервером.");

        Assert.Equal(RudenessKind.Obscene, verdict.Kind);
    }

    [Theory]
    [InlineData("Нажмите **Готово** и сохраните пароли** в надёжном месте.")]
    [InlineData("Откройте раздел **Приложения** → **Установить**, затем **Далее**.")]
    [InlineData("Добавить** запись** можно вручную**.")]
    [InlineData("Резервные **копии** хранятся 14 дней; на **выходе** — архив.")]
    public void Markdown_emphasis_is_no_mask(string text) =>
        // The knowledge base's own articles: a root hidden wholly in the asterisks is no word (it read «жоп»).
        Assert.False(Detector.Analyze(text).IsRude, string.Join(", ", Detector.Analyze(text).Fragments));

    [Fact]
    public void Fragment_CarriesPositionKindAndEntry()
    {
        const string text = "Логин u10001. Сайт опять лежит, пиздец.";
        var verdict = Detector.Analyze(text);

        var fragment = Assert.Single(verdict.Fragments);
        Assert.Equal(RudenessKind.Obscene, fragment.Kind);
        Assert.Equal("пиздец", fragment.Text);
        Assert.Equal(text.IndexOf("пиздец", StringComparison.Ordinal), fragment.Start);
        Assert.Equal(6, fragment.Length);
        Assert.Equal("пизд", fragment.Entry);
    }

    [Fact]
    public void ObsceneAndInsult_KindIsObscene_BothFragmentsKept()
    {
        var verdict = Detector.Analyze("Вы идиоты, блядь!");
        Assert.Equal(RudenessKind.Obscene, verdict.Kind);
        Assert.Equal([RudenessKind.Insult, RudenessKind.Obscene], verdict.Fragments.Select(f => f.Kind));
    }

    [Theory]
    [InlineData("х\u200Bу\u200Bй")]
    [InlineData("ху\u0301й")]
    [InlineData("ХУЙ")]
    [InlineData("xуй")]
    [InlineData("х у й")]
    [InlineData("х-у-й")]
    [InlineData("х*й")]
    [InlineData("huy")]
    [InlineData("хуууй")]
    // Two prefixes stacked, Greek look-alikes, «hueta» (only the English «hue» itself is excepted).
    [InlineData("уже подзаебало писать")]
    [InlineData("πиздец, почта не принимает")]
    [InlineData("Χуйня какая-то")]
    [InlineData("hueta kakaya-to")]
    // «3» read as «е» and «€» as «я» too.
    [InlineData("х3р вам, а не продление")]
    [InlineData("бл€ть ну опять почта")]
    public void Obfuscated_IsFound(string text) => Assert.Equal(RudenessKind.Obscene, Detector.Analyze(text).Kind);

    [Theory]
    [InlineData("https://example.ru/huy/pizdec")]
    [InlineData("mail hui.li@example.com")]
    [InlineData("e6a1f0b2c3d4")]
    [InlineData("key=blyad")]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void TechnicalOrEmpty_IsClean(string text) => Assert.False(Detector.Analyze(text).IsRude);

    [Fact]
    public void SelfDirectedInsult_IsClean_ButAimedAtTheReaderIsNot()
    {
        Assert.False(Detector.Analyze("Я идиот, сам удалил базу.").IsRude);
        Assert.Equal(RudenessKind.Insult, Detector.Analyze("Вы идиоты, сами удалили базу.").Kind);
    }

    [Theory]
    // Read on heldout-3 (session 10): dots that are punctuation, a Latin brand joined to a Russian word, an insult said of
    // the bots of the sentence before — and, for contrast, the same one-word sentence after the staff.
    [InlineData("Сайт...лежит? Нет, просто долго грузится...ли так и должно быть?", false)]
    [InlineData("Ebay-магазин нашего клиента отправляет уведомления через ваш SMTP, а eBay их режет. Нужен DKIM.", false)]
    [InlineData("Китайские боты, будь они неладны, сканируют /wp-login.php круглосуточно. Уроды. Можно ли заблокировать по стране?", false)]
    [InlineData("Хакеры взломали сайт, а ваши админы всё проспали. Уроды.", true)]
    // Session 12, read on heldout-6: «какой-то» names someone unknown — a third party — unless he is the one who answers.
    [InlineData("Опять какой-то нубас отвечает на тикеты, сразу видно.", true)]
    [InlineData("Какие-то уроды подбирают пароль к нашей админке, заблокируйте их IP.", false)]
    [InlineData("Сайт зеркалирует стримы Huya (server: huya-mirror.example), таймауты с ночи.", false)]
    [InlineData("В пакете 0x48 0x55 0x49 ('HUI' в ASCII — префикс прошивки Huitong).", false)]
    [InlineData("huy vam a ne podderzhka", true)]
    [InlineData("Слушайте, болваны, у меня интернет-магазин, а не блог!", true)]
    [InlineData("Простите дурака старого, забыл, что сам удалил запись MX.", false)]
    public void SessionTen_Readings(string text, bool rude) => Assert.Equal(rude, Detector.Analyze(text).IsRude);

    [Theory]
    // Read on heldout-5 (session 11): words of the open class, a misspelt English swear, demeaning remarks without an
    // insult word, a first name after "ваш" as the other side's person — and the mountain that only has the letters.
    [InlineData("Раззявы, сколько можно терять мои заявки?", true)]
    [InlineData("Ой баламошки вы, баламошки. Сайт опять не открывается.", true)]
    [InlineData("Пеньки, почту почините.", true)]
    [InlineData("Купили пеньку для упаковки, сайт магазина не открывается.", false)]
    [InlineData("ns2 is fine. ur DNS iz fuked up again.", true)]
    [InlineData("Ваш сотрудник, похоже, компьютер впервые увидел вчера.", true)]
    [InlineData("Где вы таких специалистов находите — на помойке? PTR до сих пор не прописан.", true)]
    [InlineData("Перечитайте свой ответ, если умеете читать.", true)]
    [InlineData("Если умеете писать скрипты на PHP, подскажите, почему cron не запускается.", false)]
    [InlineData("Идиот ваш Роман, ничего не сделал за неделю.", true)]
    [InlineData("Выложили отчёт о восхождении на Хуйтэн (4374 м, высшая точка Монголии).", false)]
    [InlineData("Я удалил рабочую базу, восстановите её из копии за 13 октября.\nОлег, балбес", false)]
    [InlineData("Олег, балбес, почините уже почту.", true)]
    public void SessionEleven_Readings(string text, bool rude) => Assert.Equal(rude, Detector.Analyze(text).IsRude);

    [Fact]
    public void WeakInsult_NeedsATarget()
    {
        Assert.False(Detector.Analyze("Простите за тупой вопрос.").IsRude);
        Assert.True(Detector.Analyze("Вы тупые?").IsRude);
    }

    [Theory]
    [InlineData("Вам вообще читать учили?", RudenessConfidence.ImplicitInsult)]
    [InlineData("Вас там по объявлению набирают?", RudenessConfidence.ImplicitInsult)]
    [InlineData("Вы там головой думаете или чем?", RudenessConfidence.Learned)]
    // Two different clues corroborate each other: sure enough for the desk to refuse, still not certain.
    [InlineData("Вас там по объявлению набирают, или читать у вас просто некому?", RudenessConfidence.Corroborated)]
    [InlineData("У вас там вообще есть хоть кто-то с мозгами, или одни стажёры по объявлению набраны?", RudenessConfidence.Corroborated)]
    [InlineData("Ваш инженер Сергей в прошлый раз ответил отпиской — он просто клоун.", RudenessConfidence.ThirdPersonInsult)]
    [InlineData("Ваша менеджер Ольга обещала перезвонить — она клоун.", RudenessConfidence.ThirdPersonInsult)]
    [InlineData("Ваши админы криворукие.", RudenessConfidence.Certain)]
    [InlineData("Вы клоуны.", RudenessConfidence.Certain)]
    [InlineData("Ваши админы идиоты.", RudenessConfidence.Certain)]
    [InlineData("Вам вообще читать учили? Пиздец.", RudenessConfidence.Certain)]
    [InlineData("Сука, опять база легла, диск показывает read-only.", RudenessConfidence.Certain)]
    [InlineData("Сука, виртуальная машина опять не грузится, фото с консоли во вложении.", RudenessConfidence.Certain)]
    [InlineData("Питомник: кобели и суки нашей породы, фото щенков на сайте.", RudenessConfidence.Doubtful)]
    // A disk or a zone in the sentence before is hosting's own matter, not a passage about animals.
    [InlineData("Вторые сутки не заменён диск на сервере. Похоже, у вас в поддержке работают бараны.", RudenessConfidence.Certain)]
    [InlineData("Ваши бараны из поддержки опять что-то сделали с DNS-зоной.", RudenessConfidence.Certain)]
    public void Confidence_IsLowerForImplicitAndThirdPersonInsults(string text, double confidence)
    {
        var verdict = Detector.Analyze(text);
        Assert.True(verdict.IsRude);
        Assert.Equal(confidence, verdict.Confidence);
        Assert.Equal(confidence < 1 ? RudenessLevel.Unsure : RudenessLevel.Rude, verdict.Level);
        Assert.Equal(confidence < 1, verdict.IsUnsure);
    }

    [Fact]
    public void Clean_HasLevelCleanAndConfidenceZero()
    {
        var verdict = Detector.Analyze("Вы вообще читаете заявки? Третий раз пишу.");
        Assert.Equal(RudenessLevel.Clean, verdict.Level);
        Assert.Equal(0, verdict.Confidence);
    }

    [Fact]
    public void Confidences_AreConfiguration()
    {
        var lexicon = RudenessLexicon.Default;
        lexicon.ImplicitInsultConfidence = 0.7;
        var fragment = Assert.Single(new RudenessDetector(lexicon).Analyze("Вам вообще читать учили?").Fragments);
        Assert.Equal(0.7, fragment.Confidence);
        Assert.Equal("читать учили", fragment.Text);
    }

    [Fact]
    public void Lexicon_IsConfiguration_AnEntryCanBeAddedOrRemoved()
    {
        var lexicon = RudenessLexicon.Default;
        lexicon.Obscene.Add("^хрен");
        lexicon.Exceptions.Add("хреновин");
        var detector = new RudenessDetector(lexicon);

        Assert.True(detector.Analyze("Хреново работает").IsRude);
        Assert.False(detector.Analyze("Что за хреновина в логе").IsRude);
        Assert.False(Detector.Analyze("Хреново работает").IsRude);
    }

    [Fact]
    public void HugeInput_WithoutSpaces_IsHandled()
    {
        var text = new string('ж', 100_000) + " " + string.Concat(Enumerable.Repeat("а*", 50_000));
        Assert.False(Detector.Analyze(text).IsRude);
    }

    [Fact]
    public void Lexicon_ExpandsAlternatives() =>
        Assert.Equal(["ab", "ac", "a"], CompiledLexicon.Expand("a(b|c|)"));
}

public sealed class RussianTextTests
{
    [Theory]
    [InlineData("ЁЛКА", "елка")]
    [InlineData("при\u200Bвет", "привет")]
    [InlineData("ｐｒｉｖｅｔ", "privet")]
    public void Normalize_FoldsCaseYoWidthAndInvisibles(string input, string expected) => Assert.Equal(expected, RussianText.Normalize(input));

    [Theory]
    [InlineData("п1zдец", "пиздец")]
    [InlineData("pizdec", "пиздец")]
    [InlineData("6л.я.д.ь", "блядь")]
    [InlineData("сууука", "сука")]
    [InlineData("xyйня", "хуйня")]
    public void Deobfuscate_ReadsTheHiddenWord(string input, string expected) => Assert.Equal(expected, RussianText.Deobfuscate(input));
}

/// <summary>The learned insult model (session 8): it reaches phrasings neither the lexicon nor the patterns know, and only
/// ever as unsure. These sentences were written for the test, not taken from the corpora.</summary>
public sealed class RudenessLearnedModelTests
{
    // Session 15: the model trained on 8,180 texts (the read held-out sets folded into dev) no longer flags «Вы там все с
    // луны свалились, что ли?» or «Кто у вас там вообще работает?», but catches more of the honest set's implied insults
    // (heldout-10 0.800 → 0.833, heldout-4 insults 0.922 → 0.939).
    [Theory]
    [InlineData("Вы там головой думаете или чем?")]
    public void NewPhrasing_IsUnsure_ByTheModel(string text)
    {
        var verdict = RudenessDetector.Default.Analyze(text);
        Assert.Equal(RudenessLevel.Unsure, verdict.Level);
        var fragment = Assert.Single(verdict.Fragments);
        Assert.Equal(RudenessDetector.LearnedEntry, fragment.Entry);
        Assert.Equal(RudenessConfidence.Learned, fragment.Confidence);
    }

    [Theory]
    [InlineData("Кто у вас отвечает за почту? Спасибо.")]
    [InlineData("Откатить ядро можете вы или только мы сами?")]
    [InlineData("Сайт не работает с утра, а вы молчите.")]
    public void NearMisses_AreClean(string text) => Assert.False(RudenessDetector.Default.Analyze(text).IsRude, text);

    [Fact]
    public void WithoutTheModel_NewPhrasingIsNotFound()
    {
        var lexicon = RudenessLexicon.Default;
        lexicon.UseInsultModel = false;
        Assert.False(new RudenessDetector(lexicon).Analyze("Вы там головой думаете или чем?").IsRude);
    }
}

public sealed class RudenessAllocationTests
{
    /// <summary>Intake judges every message: clean text — the common case — allocates nothing (docs/performance.md), long
    /// e-mails with logs included.</summary>
    [Fact]
    public void CleanText_AllocatesNothing()
    {
        string[] bodies =
        [
            "Здравствуйте! Логин u10001. С утра сайт romashka.example.ru не открывается, ошибка 502 Bad Gateway. Вчера обновляли WordPress.",
            "Подскажите, пожалуйста, как вам прислать скриншот? Вы можете проверить сервер? Мы ничего не меняли, а почта не уходит.",
            "2024/04/23 09:12:44 [error] 1234#0: *5678 upstream timed out (110: Connection timed out), client: 203.0.113.7, host: vps49, shop49",
            "Hello, our VPS is down since 9:00 UTC, ping works but SSH times out. Steps: ssh root@vps.example.net -> timeout. Please help.",
            "Объясните, как настроить DKIM для домена? Кто у вас отвечает за почту? Спасибо, Анна Петрова, бухгалтер ООО «Ромашка».",
            // A realistic long body (session 8): prose that names the reader and the staff ("вы", "у вас", "ваш инженер",
            // "поддержка"), so the implicit-insult prefilter lets it through to the full search; a quoted reply, log lines,
            // a stack trace, a hash and URLs.
            """
            Здравствуйте, уважаемая поддержка!

            Логин u10002, ID клиента 104524. Вы вчера обещали, что ваш инженер проверит почтовый сервер, но письма по-прежнему не уходят.
            Клиент пишет "550 5.7.1 Message rejected: SPF check failed". Проверил SPF-запись: v=spf1 include:_spf.example.net ~all.
            Вы можете посмотреть, что у вас с очередью? Хоть один ответ от вас за сегодня был бы кстати — мы ждём с утра.
            Ваш сотрудник в чате сказал, что нужно подождать, но прошло уже шесть часов. Кто у вас сейчас дежурит?
            2024/04/23 09:12:44 [error] 1234#0: *5678 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: romashka.example.ru, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/var/run/php/php8.2-fpm.sock"
            PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/u10002/data/www/site.ru/index.php:12
            Stack trace: #0 {main} thrown in /var/www/u10002/data/www/site.ru/index.php on line 12
            sha256 архива: 4e1b5ed0f6a9c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8
            См. https://help.example.net/kb/spf-dkim?lang=ru#setup и скриншот во вложении.

            > 22.04.2024 в 17:05 служба поддержки написала:
            > Здравствуйте! Ваша заявка зарегистрирована под номером RG-000041. Наши инженеры проверят сервер.
            > Критичность: Low. Срок ответа: 23.04.2024 17:00 (МСК).

            Спасибо! Если нужно, могу дать доступ по SSH: ssh admin@vps.example.net -p 2222.
            --
            С уважением, Иван Петров, ООО «Ромашка», +7 (495) 000-00-00
            """,
        ];
        foreach (var body in bodies)
            Assert.False(RudenessDetector.Default.Analyze(body).IsRude, body);
        var allocated = new List<string>();
        foreach (var body in bodies)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            RudenessDetector.Default.Analyze(body);
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytes > 0)
                allocated.Add($"{bytes} bytes: {body}");
        }
        Assert.True(allocated.Count == 0, string.Join("\n", allocated));
    }
}

/// <summary>Session 7: what the detector learnt from the merged development set, each with the clean text nearest to it.</summary>
public sealed class RudenessGeneralizationTests
{
    private static readonly RudenessDetector Detector = RudenessDetector.Default;

    [Theory]
    [InlineData("ohuet' mozhno, ya platil za god")]
    [InlineData("Ну это уже п№здец какой-то")]
    [InlineData("pi$dets kakoi-to")]
    [InlineData("What the f**k is going on?")]
    [InlineData("Ваше гавно опять не работает")]
    [InlineData("vash menedzher — pizdabol")]
    // Session 12, read on heldout-6: letters between slashes, the euro sign for «е», «йо» for «ё», a derivation of «муд-».
    [InlineData("б/л/я/т/ь дайте живого человека")]
    [InlineData("Что за ху€та с ценами?")]
    [InlineData("йобаный стыд, сайт опять лёг")]
    [InlineData("Ну и мудота с этим переносом домена.")]
    // Session 13, read on heldout-7: the root masked whole, one dot for a letter, the root read backwards.
    [InlineData("Пишу вам: что за ***ня? Хотя бы скажите когда починят.")]
    [InlineData("Я вам скажу как пацан пацану: вы там ох.ели вконец.")]
    [InlineData("йух вам, а не оплата, пока сервер не заработает")]
    // Session 14, read on heldout-8: the prefix «осто-» before a root.
    [InlineData("всё, мне это остоебенило, переношу сайты")]
    public void Obfuscated_IsFound(string text) => Assert.Equal(RudenessKind.Obscene, Detector.Analyze(text).Kind);

    [Theory]
    [InlineData("Node node-huiyuan-03; we named nodes after the huiyuan membership service.")]
    [InlineData("00000000: 1cfd 4875 5920 a8eb 0f00 0000 0200 0000  ..HuY ..........\n00000020: 4d75 6444 0000 0000 0000 0000 0000 0000  MudD............")]
    [InlineData("Заявка № 214, счёт №5 от 19.09")]
    [InlineData("Цвет задаётся в Philips Hue, x*y = 12")]
    // The nearest clean texts to the slash and euro spellings above.
    [InlineData("Продам б/у диск, цена 500€/мес, т/с и/или ул. Мира д.5/1")]
    // The nearest clean texts to the masked root and the inner dot above.
    [InlineData("Пароль: ***, логин ***ик, т.е. как в договоре, см. п.3.2; сайт.рф")]
    [InlineData("Файл ***.txt удалён, ООО «Ромашка».Иванов")]
    [InlineData("**Не** удаляйте папку. Резервные копии хранятся **на сервере** 14 дней, ***на*** всякий случай.")]
    public void Technical_IsClean(string text) => Assert.False(Detector.Analyze(text).IsRude, text);

    [Theory]
    [InlineData("Ну вы и долбоклюи, ребята.")]
    [InlineData("Шаромыжники, списали абонентку дважды.")]
    [InlineData("Ваши админы — прохиндеи.")]
    public void OpenClass_IsCertain(string text) => Assert.Equal(RudenessLevel.Rude, Detector.Analyze(text).Level);

    [Theory]
    [InlineData("Кулебяки вы, а не инженеры: сертификат так и не выпустили.")]
    [InlineData("Вы в школе-то учились? Домен и хостинг — разные услуги.")]
    [InlineData("Вам там вообще есть чем думать?")]
    [InlineData("В вашей поддержке что, одни первокурсники на практике?")]
    [InlineData("Видимо, мозги у вас выдают по талонам.")]
    [InlineData("Ваш инженер, судя по ответу, компьютер впервые в жизни видит.")]
    [InlineData("Дипломы в переходе покупали?")]
    [InlineData("Может, позовёте кого-нибудь из взрослых?")]
    [InlineData("Ваш «специалист» опять ответил шаблоном.")]
    [InlineData("Сотрудник ваш явно умом не блещет.")]
    [InlineData("Очередной гений из вашей поддержки посоветовал переустановить Windows.")]
    [InlineData("У вас мозги вообще есть?")]
    [InlineData("Вас мама в детстве головой не роняла? Тогда объясните, зачем удалять работающую почту.")]
    [InlineData("Вы вообще в курсе, что буквы складываются в слова?")]
    [InlineData("Моя внучка в пять лет лучше вас в компьютере разбирается.")]
    public void Implicit_IsUnsure(string text)
    {
        var verdict = Detector.Analyze(text);
        Assert.Equal(RudenessLevel.Unsure, verdict.Level);
        Assert.Equal(RudenessKind.Insult, verdict.Kind);
    }

    [Theory]
    [InlineData("Вот кретин — это я. Закрыл себе SSH.")]
    [InlineData("Какая-то тварь подбирает пароль к FTP. Заблокируйте, пожалуйста.")]
    [InlineData("Мне нужен сетевой инженер, а не оператор.")]
    [InlineData("Вы мне врали про сроки, верните деньги.")]
    [InlineData("Недоделки в коде панели: кнопка не работает, у вас опять.")]
    [InlineData("Вы говорите с человеком или с роботом?")]
    [InlineData("Я впервые в жизни вижу такой сервер.")]
    [InlineData("Ответьте, пожалуйста: вы набираете стажёров по объявлению?")]
    public void Near_IsNotRefused(string text) => Assert.NotEqual(RudenessLevel.Rude, Detector.Analyze(text).Level);

    [Theory]
    [InlineData("Боты выносят мозги — у вас есть защита от ботов?")]
    [InlineData("Мы купили у вас домен для сайта с дипломами выпускников, где он в панели?")]
    [InlineData("Есть ли у вас хоть один специалист по Bitrix? Нужна консультация.")]
    [InlineData("Does anyone on your team know how to configure BGP communities?")]
    [InlineData("Поле «Оператор» в форме заявки не заполняется.")]
    [InlineData("Подскажите, где вы берёте таких специалистов по 1С? Нам тоже нужен.")]
    [InlineData("Олухи — так называется наш проект, домен не продлился.")]
    public void Questions_AreClean(string text) => Assert.False(Detector.Analyze(text).IsRude, text);

    [Theory]
    [InlineData("Перегрызен патч-корд, под фальшполом следы грызунов. То есть у вас в машзале крысы.")]
    [InlineData("Мы зоомагазин. У нас на витрине попугаи и хомяки, фото в каталоге не грузятся.")]
    public void An_animal_a_sentence_from_the_animal_world_is_the_animal(string text) =>
        Assert.NotEqual(RudenessLevel.Rude, Detector.Analyze(text).Level);
}
