using Reglament.Knowledge;

namespace Reglament.Tests.Knowledge;

public sealed class KnowledgeSearchTests(SampleKnowledgeBase kb) : IClassFixture<SampleKnowledgeBase>
{
    private string Top(string query) => kb.Index.Search(query).FirstOrDefault()?.Id ?? "none";

    private IEnumerable<string> Top3(string query) => kb.Index.Search(query, 3).Select(m => m.Id);

    [Fact]
    public void AllSampleArticles_AreIndexed() => Assert.Equal(64, kb.Index.Count);

    [Theory]
    [InlineData("сертификата", new[] { "000039", "000040", "000041" })]
    [InlineData("сертификатом", new[] { "000039", "000040", "000041" })]
    [InlineData("резервной копии сайта", new[] { "000051", "000053" })]
    [InlineData("переполнены почтовые ящики", new[] { "000048" })]
    public void Search_FindsInflectedForms(string query, string[] expected) => Assert.Contains(Top(query), expected);

    [Theory]
    [InlineData("сертефикат летсэнкрипт", "000039")]
    [InlineData("перенаправление на хттпс", "000008")]
    [InlineData("пeреполнен ящик", "000048")]
    public void Search_ToleratesTypos(string query, string expected) => Assert.Contains(expected, Top3(query));

    [Theory]
    [InlineData("gthtgjkyty zobr", "000048")]            // "переполнен ящик" typed on the Latin layout
    [InlineData("yfcnhjbnm gjxne d outlook", "000044")]  // "настроить почту в outlook"
    public void Search_RepairsTheKeyboardLayout(string query, string expected) => Assert.Contains(expected, Top3(query));

    [Theory]
    [InlineData("ne rabotaet pochta oshibka 550", "000050")]
    [InlineData("kak prodlit domen", "000029")]
    public void Search_ReadsTransliteration(string query, string expected) => Assert.Contains(expected, Top3(query));

    [Theory]
    [InlineData("мыло уходит в спам", "000047")]
    [InlineData("впс не пингуется", "000022")]
    [InlineData("добавить днс запись для поддомена", "000037")]
    public void Search_KnowsCustomersSynonyms(string query, string expected) => Assert.Contains(expected, Top3(query));

    [Fact]
    public void Match_ReadsOnlyTheNewText()
    {
        const string mail = """
            Здравствуйте! Сайт выдаёт 502 Bad Gateway после обеда.

            -----Original Message-----
            From: support@example.ru
            Как перенести домен от другого регистратора, перенос домена, регистратор, перенос
            """;
        Assert.Equal("000007", kb.Index.Match(mail).First().Id);
        Assert.DoesNotContain("перенести", QueryText.NewText(mail), StringComparison.Ordinal);
    }

    [Fact]
    public void NonsenseOrEmpty_FindsNothingConfident()
    {
        Assert.Empty(kb.Index.Search(""));
        Assert.All(kb.Index.Search("абырвалг"), m => Assert.True(m.Confidence < 0.5));
    }
}

public sealed class TyposTests
{
    [Theory]
    [InlineData("сертефикат", "сертификат", true)]  // replaced
    [InlineData("сертфикат", "сертификат", true)]   // missing
    [InlineData("сертиификат", "сертификат", true)] // extra
    [InlineData("сетрификат", "сертификат", true)]  // neighbours swapped
    [InlineData("сертификат", "сертификат", false)] // the same word is no correction
    [InlineData("сертефекат", "сертификат", false)] // two edits
    public void OneEditApart(string a, string b, bool expected) =>
        Assert.Equal(expected, Reglament.Knowledge.KnowledgeIndex.Typos.OneEditApart(a, b));

    [Fact]
    public void Corrections_AreWordsOfTheBase_OneEditAway_WithTheFirstTwoLettersKept()
    {
        var typos = new Reglament.Knowledge.KnowledgeIndex.Typos(["сертификат", "серверн", "перенаправлен", "оертификат"]);
        Assert.Equal(["сертификат"], typos.Corrections("сертефикат"));
        Assert.Empty(typos.Corrections("абырвалг"));
    }
}

public sealed class AskingSentencesTests
{
    private static readonly Func<string, bool> Any = _ => true;

    [Fact]
    public void LongMail_TheSubjectAndTheAskingSentencesWeighOne_TheStoryLess()
    {
        var story = string.Join(" ", Enumerable.Repeat("Магазин работает давно, дизайнер менял шапку и шрифты.", 12));
        var mail = $"Старая версия\n{story}\nМожно ли вернуть сайт на прошлую неделю?";
        var weighted = QueryText.Weighted(mail, Any, longWords: 90, story: 0.5f).ToList();

        Assert.Contains(("старая", 1f), weighted);
        Assert.Contains(("вернуть", 1f), weighted);
        Assert.Contains(("дизайнер", 0.5f), weighted);
    }

    [Fact]
    public void ShortMail_OrOneThatAsksNothing_IsAllQuestion()
    {
        Assert.All(QueryText.Weighted("Сертификат\nСайт открывается без замка. Как выпустить сертификат?", Any, 90, 0.5f), w => Assert.Equal(1f, w.Weight));
        var telling = "Тема\n" + string.Join(" ", Enumerable.Repeat("Сайт работает, почта работает, всё хорошо.", 20));
        Assert.All(QueryText.Weighted(telling, Any, 90, 0.5f), w => Assert.Equal(1f, w.Weight));
    }

    [Theory]
    [InlineData("Нужен memory_limit 2048M, а в панели максимум 1024M. Поднимите, пожалуйста, лимит.", true)]
    [InlineData("Задание обрывается через 30 минут. Можно ли для нашего аккаунта снять это ограничение?", true)]
    [InlineData("Как увеличить memory_limit в панели?", false)]
    public void AskingToLiftALimit_NeedsAPerson(string text, bool person) =>
        Assert.Equal(person, PersonSignals.Find(text) is not null);
}
