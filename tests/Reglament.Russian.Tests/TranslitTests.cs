namespace Reglament.Russian.Tests;

public sealed class TranslitTests
{
    [Theory]
    [InlineData("Zdravstvuyte, ne rabotaet sayt s utra", "Здравствуйте, не работает сайт с утра")]
    [InlineData("pozhaluysta pomogite, pochta ne prikhodit", "пожалуйста помогите, почта не приходит")]
    [InlineData("Dobryy den'! Zabyla parol' ot panely", "Добрый день! Забыла пароль от панелы")]
    public void Transliterated_russian_is_read_back(string latin, string cyrillic) =>
        Assert.Equal(cyrillic, Translit.ReadBack(latin));

    [Theory]
    // English stays English, and a Russian message with English words in it is left alone.
    [InlineData("Hi, my site is down since 10:00, please check the server")]
    [InlineData("Сайт не работает, в логе error: connection refused")]
    [InlineData("")]
    public void Other_text_is_left_as_it_is(string text) => Assert.Equal(text, Translit.ReadBack(text));

    [Fact]
    public void Technical_tokens_and_acronyms_inside_a_transliterated_text_stay_latin()
    {
        var text = Translit.ReadBack("Zdravstvuyte, na VPS vps-shop.example.ru ne rabotaet nginx, login petrova, pishu s anna@mail.example");
        Assert.Contains("VPS", text, StringComparison.Ordinal);
        Assert.Contains("vps-shop.example.ru", text, StringComparison.Ordinal);
        Assert.Contains("anna@mail.example", text, StringComparison.Ordinal);
        Assert.Contains("login", text, StringComparison.Ordinal);
        Assert.Contains("не работает", text, StringComparison.Ordinal);
    }
}
