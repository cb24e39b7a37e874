using NodaTime;
using NodaTime.Testing;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

/// <summary>The desk's judgement on the policy corpora (corpora/policy, docs/policy.md): the held-out sets, written blind
/// and never tuned on, must not fall below the floors (the last measured figures, rounded down); the development set shows how far the figures fit the data
/// they were tuned on. The floors are a ratchet at the figures last measured (raise them when a change raises the
/// held-out figures; a change that lowers them is wrong). The issue's targets are 0.95 / 0.93 / 0.90 / 0.90 and at
/// most 1 % wrongful refusals. Deterministic: the classifiers train the same way on every run.</summary>
public sealed class PolicyCorpusTests(ITestOutputHelper output)
{
    private static readonly FakeClock Clock = new(Instant.FromUtc(2026, 12, 7, 8, 0));

    private static string Corpus(string name) => Path.Combine(AppContext.BaseDirectory, "Corpora", "policy", name);

    private static string KnowledgeBase => Path.Combine(Reglament.Demo.DemoSeeder.DemoDirectory, "kb");

    [Theory]
    [InlineData("heldout-8", 320, 0.92, 0.955, 0.945, 0.94, 0.97, 1.0, 0.01)]
    // Written blind in session 13, the honest set: first scored with the session-12 rules 0.950 / 0.975 / 0.950 / 0.938,
    // no wrongful refusal of 207, 22 automatic answers all right; with the session-13 rules criticality 0.941.
    // (heldout-10 and heldout-11 were read and are folded into dev/ now.)
    [InlineData("heldout-12", 320, 0.95, 0.975, 0.95, 0.94, 0.97, 0.93, 0.01)]
    // Written blind in session 13 while its rules changed, committed after they were final, scored once: 0.906 / 0.966 /
    // 0.947 / 0.947, no wrongful refusal of 207 (the session-12 rules score the same there). Session 14 printed its
    // failures (development data now): a phrase across a sentence end («не менял. срочно» read as «не срочно»), only
    // the object's name missing, «разработка скрипта» — 0.913 / 0.969 / 0.950 / 0.950.
    [InlineData("heldout-13", 320, 0.91, 0.965, 0.945, 0.945, 0.97, 1.0, 0.01)]
    // Written blind in session 14 (n1–n2, 923xxx), committed as delivered (93d1301): first scored with the session-13
    // rules 0.934 / 0.975 / 0.988 / 0.947, no wrongful refusal of 206, 22 automatic answers all right. In session 15 its
    // failures were read (a quoted organisation's name or a bare «some error» taken for the error text, «бараны» after a
    // disk in the sentence before taken for sheep): development data now, 0.947 / 0.981 / 0.988 / 0.947.
    [InlineData("heldout-14", 320, 0.94, 0.975, 0.985, 0.945, 0.97, 1.0, 0.01)]
    // Written blind in session 15 (o1–o2, 924xxx), committed as delivered (06eedc4), the honest set now: first scored
    // with the session-14 rules 0.906 / 0.959 / 0.975 / 0.963, one wrongful refusal of 207 (0.5 %), 13 automatic answers
    // all right.
    [InlineData("heldout-15", 320, 0.90, 0.955, 0.97, 0.96, 0.97, 0.93, 0.01)]
    public async Task Held_out_figures_stay_above_the_floors(string set, int count, double decision, double reasons, double type, double criticality, double r11a, double r11c, double wrongful)
    {
        var score = await PolicyEvaluation.RunAsync(Corpus(set), KnowledgeBase, Clock, cancellationToken: TestContext.Current.CancellationToken);
        // Aggregates only: printing a held-out set's failures would make it development data.
        output.WriteLine(score.Render(failures: false));
        Assert.Equal(count, score.Count);
        Assert.True(score.Decision >= decision, $"decision {score.Decision:0.000} < {decision}");
        Assert.True(score.Reasons >= reasons, $"reasons {score.Reasons:0.000} < {reasons}");
        Assert.True(score.Type >= type, $"type {score.Type:0.000} < {type}");
        Assert.True(score.Criticality >= criticality, $"criticality {score.Criticality:0.000} < {criticality}");
        // The issue's bound is 1 %: a wrongful refusal accuses a customer.
        Assert.True(score.WrongfulRefusals <= wrongful, $"wrongful refusals {score.WrongfulRefusals:0.000} > {wrongful}");
        Assert.True(score.Reason("R11a").Recall >= r11a, $"R11a recall {score.Reason("R11a").Recall:0.000} < {r11a}");
        Assert.True(score.Reason("R11c").Recall >= r11c, $"R11c recall {score.Reason("R11c").Recall:0.000} < {r11c}");
    }

    [Fact]
    public async Task Development_figures_are_reported_beside_the_held_out_ones()
    {
        var score = await PolicyEvaluation.RunAsync(Corpus("dev"), KnowledgeBase, Clock, cancellationToken: TestContext.Current.CancellationToken);
        output.WriteLine(score.Render(failures: false));
        Assert.Equal(3830, score.Count);
        // Fitted on this set: a figure below the held-out floor here means the model or the corpus failed to load.
        Assert.True(score.Type >= 0.95 && score.Criticality >= 0.95, $"type {score.Type:0.000}, criticality {score.Criticality:0.000}");
    }

    [Fact]
    public void An_automatic_answer_is_right_only_with_a_right_best_article()
    {
        var directory = Directory.CreateTempSubdirectory("reglament-corpus-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "requests-x.jsonl"),
                """{"id":"x-1","from":"a@b.test","subject":"s","body":"Как сменить версию PHP?","expected":{"decision":"answered","reasons":[],"type":"Question","criticality":"Low","articles":["000005"]}}""" + "\n");
            var labelled = Assert.Single(PolicyEvaluation.ReadCorpus(directory.FullName, Clock.GetCurrentInstant()));
            Assert.Equal(["000005"], labelled.Articles);
            ScreeningOutcome Answered(params string[] articles) => new("answered", [], Reglament.Tickets.RequestType.Question, Reglament.Tickets.Criticality.Low, []) { Articles = articles };
            Assert.True(new JudgedRequest(labelled, Answered("000005", "000011")).DecisionRight);
            Assert.False(new JudgedRequest(labelled, Answered("000011", "000005")).DecisionRight);
            Assert.False(new JudgedRequest(labelled, new ScreeningOutcome("accepted", [], Reglament.Tickets.RequestType.Question, Reglament.Tickets.Criticality.Low, [])).DecisionRight);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_corpus_line_without_its_label_is_a_clear_error()
    {
        var directory = Directory.CreateTempSubdirectory("reglament-corpus-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "requests-x.jsonl"), """{"id":"x-1","from":"a@b.test","subject":"s","body":"b"}""" + "\n");
            var error = Assert.Throws<InvalidDataException>(() => PolicyEvaluation.ReadCorpus(directory.FullName, Clock.GetCurrentInstant()));
            Assert.Contains("requests-x.jsonl:1", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
