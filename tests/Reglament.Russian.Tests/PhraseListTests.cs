namespace Reglament.Russian.Tests;

public sealed class PhraseListTests
{
    [Theory]
    [InlineData("Прошу увеличить memory_limit в php.ini", "увелич* memory_limit", "увеличить memory_limit")]
    [InlineData("Помогите НАПИСАТЬ, пожалуйста, скрипт", "напис* скрипт*", "НАПИСАТЬ, пожалуйста, скрипт")]
    [InlineData("Помогите написать скрипт", "напис* скрипт*", "написать скрипт")]
    [InlineData("Ёлки, всё упало", "все упало", "всё упало")]
    [InlineData("Не работает сайт", "не работа*", "Не работает")]
    [InlineData("Неработает сайт", "не работа*", null)]
    [InlineData("см. .htaccess", "htaccess", "htaccess")]
    [InlineData("ничего не менял. срочно", "не срочно", null)]
    [InlineData("ничего не менял!\nсрочно", "не срочно", null)]
    [InlineData("это не очень срочно", "не срочно", "не очень срочно")]
    [InlineData("сайт не работает срочно", "не срочно", null)]
    [InlineData("почта не всегда отвечает", "не отвеча*", null)]
    public void FindFirst_MatchesWordsInOrder(string text, string phrase, string? expected) =>
        Assert.Equal(expected, new PhraseList([phrase]).FindFirst(text)?.Text);

    [Fact]
    public void FindFirst_AllowsOneWordBetween_ButNotTwo()
    {
        var list = new PhraseList(["настро* wordpress"]);
        Assert.NotNull(list.FindFirst("настройте наш wordpress"));
        Assert.Null(list.FindFirst("настройте, пожалуйста, наш wordpress"));
    }
}
