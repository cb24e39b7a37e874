using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Intake;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Benchmarks;

/// <summary>The regulation's rules on one typical request, end to end after identification: screen (suspension,
/// rudeness) → classify (learned type with R5, contracted services, criticality, completeness) → decide. The identify
/// stage's one indexed database lookup is not included.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private sealed class FixedClock : IClock
    {
        public Instant GetCurrentInstant() => Instant.FromUtc(2024, 4, 23, 7, 0);
    }

    private ScreenStage screen = null!;
    private ClassifyStage classify = null!;
    private DecideStage decide = null!;
    private Subscriber subscriber = null!;
    private InboundRequest request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FixedClock();
        screen = new ScreenStage(Options.Create(new ScreeningOptions()), new RudenessRule(Options.Create(new RudenessOptions())));
        var types = new RequestTypeRule(Options.Create(new RequestTypeOptions()));
        var scope = new ScopeRule(Options.Create(new ScopeOptions()));
        var criticality = new CriticalityRule(Options.Create(new CriticalityOptions()));
        var completeness = new CompletenessRule(Options.Create(new CompletenessOptions()));
        var models = new JudgementModels(types, scope, criticality, completeness);
        // Trained once per process when the desk starts; not part of judging one request.
        _ = models.Type;
        classify = new ClassifyStage(types, criticality, completeness, scope, models);
        decide = new DecideStage(clock, Options.Create(new RefusalReviewOptions()));
        subscriber = new Subscriber { Login = "u10001", ClientId = "104523", Name = "ООО «Ромашка»", RegistrationEmail = "admin@romashka.test", Services = ContractedServices.SharedHosting | ContractedServices.Mail };
        request = new InboundRequest
        {
            Channel = Channel.Email,
            Sender = "it@romashka.test",
            Subject = "Не работает сайт romashka.example.ru — ошибка 502",
            Body = """
                Здравствуйте!

                Логин u10001. С утра сайт romashka.example.ru не открывается, в браузере ошибка 502 Bad Gateway.
                Вчера вечером обновляли WordPress до 6.5 и плагин WooCommerce, после этого всё и началось.
                Шаги: открываю главную страницу, жду секунд 30, получаю 502. Панель управления открывается нормально.
                В логе ошибок: upstream timed out (110: Connection timed out) while reading response header from upstream.
                Скриншот прилагаю. Помогите, пожалуйста, это срочно — не работает интернет-магазин.

                --
                С уважением, Иван Петров, ООО «Ромашка»
                """,
            ReceivedAt = clock.GetCurrentInstant(),
            RawSource = [],
        };
    }

    [Benchmark]
    public async Task<DecisionOutcome> ScreenClassifyDecide()
    {
        var context = new IntakeContext(request) { Subscriber = subscriber };
        await screen.RunAsync(context, CancellationToken.None);
        await classify.RunAsync(context, CancellationToken.None);
        await decide.RunAsync(context, CancellationToken.None);
        return context.Decision!.Outcome;
    }
}
