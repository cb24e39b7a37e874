using Microsoft.Extensions.Options;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

/// <summary>R8 as the operator reads it: a complete report names the affected object — «сайт не работает» does not
/// say which site, a host name, mailbox, IP address or a server's own name does.</summary>
public sealed class CompletenessRuleTests
{
    [Theory]
    [InlineData("С утра сайт romashka.test отдаёт 502, ничего не меняли.")]
    [InlineData("VPS 203.0.113.77 не отвечает с 10:40.")]
    [InlineData("С 10:00 на gis-test-01 при входе в консоль ошибка.")]
    [InlineData("На ящик info@lavanda.example не приходят письма со вчера.")]
    [InlineData("Сервер vps49 перестал пинговаться.")]
    [InlineData("Логин petrova, регистрационный адрес p@example.ru. Сайт shop.example.ru отдаёт 502.")]
    [InlineData("После смены логина сайт shop.example.ru не открывается.")]
    public void A_named_site_mailbox_address_or_server_is_an_object(string text) =>
        Assert.True(CompletenessRule.NamesObject(text));

    [Theory]
    [InlineData("Сайт не работает, ошибка 502 с утра, ничего не меняли.")]
    [InlineData("Виртуальная машина не отвечает с 10:40, отдел разработки стоит.")]
    [InlineData("Почта не работает, пишет что-то про пароль.")]
    [InlineData("С утра не открывается один из наших сайтов.\nЛогин optika_vzor, e-mail регистрации admin@vzor-optika.example.ru")]
    [InlineData("ВСЁ ЛЕГЛО, ничего не работает!\nлогин radio_volna, рег. почта tech@volna-fm.example.ru")]
    [InlineData("Сайт школы не открывается, логин shkola42.")]
    [InlineData("Что-то не так с сайтом. Логин u20001, alfa@alfa.test; reg e-mail: infra@cloudkassa.example.io")]
    public void A_bare_site_or_server_is_not(string text) =>
        Assert.False(CompletenessRule.NamesObject(text));

    [Theory]
    [InlineData("вебмейл не открывается с обеда, 504 gateway time-out")]
    [InlineData("С понедельника письма уходят с задержкой в час")]
    [InlineData("Сайт отдаёт 502 с выходных")]
    public void An_onset_by_the_days_part_or_the_weeks_day_is_a_circumstance(string text) =>
        Assert.DoesNotContain("⟨no-Steps⟩", new CompletenessRule(Options.Create(new CompletenessOptions())).Signals(text, attachments: 0));

    [Fact]
    public void A_bare_failure_has_no_circumstance() =>
        Assert.Contains("⟨no-Steps⟩", new CompletenessRule(Options.Create(new CompletenessOptions())).Signals("Сайт отдаёт 502, посмотрите", attachments: 0));

    [Theory]
    [InlineData("Сайт shop.example.ru с утра отдаёт «500 Internal Server Error».")]
    [InlineData("our server srv-01 has failed since the night: Error establishing a database connection")]
    [InlineData("С утра на srv-01 в логе: [error] 1234#0: upstream closed")]
    [InlineData("Сайт shop.example.ru с утра выдаёт «Не удаётся найти IP-адрес сервера».")]
    public void A_printed_error_is_the_error_text(string text) =>
        Assert.DoesNotContain("⟨no-ErrorText⟩", new CompletenessRule(Options.Create(new CompletenessOptions())).Signals(text, attachments: 0));

    [Theory]
    [InlineData("our server srv-01 has some error since the night, please check")]
    [InlineData("ПАО «Химзавод „Прогресс“». С 08:00 сервер srv-01 работает нестабильно.")]
    [InlineData("ООО «Ромашка и партнёры», сайт romashka.example.ru с утра работает странно.")]
    public void Some_error_or_a_quoted_name_is_not(string text) =>
        Assert.Contains("⟨no-ErrorText⟩", new CompletenessRule(Options.Create(new CompletenessOptions())).Signals(text, attachments: 0));
}
