namespace Reglament.Russian.Tests;

/// <summary>Floors on the detector's figures on the rudeness corpora (corpora/rudeness, `reglament eval rudeness DIR`):
/// a ratchet at what the detector reached, so a change that loses recall or refuses a clean customer fails here.
/// The held-out sets are only scored in aggregate — their failures are never printed, so they stay held out; the
/// development set's failures are listed.</summary>
public sealed class CorpusQualityTests
{
    private static RudenessEvaluation Evaluate(string set) =>
        RudenessEvaluation.Run(RudenessEvaluation.Read(Path.Combine(AppContext.BaseDirectory, "Corpora", "rudeness", set)), RudenessDetector.Default);

    [Fact]
    public void DevelopmentSet_StaysAboveItsFloors()
    {
        // r1–r2 (session 4), s1–s2 (the first held-out set, moved here in session 7 after its aggregates had been
        // read at every step of session 5), u1–u2 (heldout-2, moved here in session 8), and since session 15 every
        // held-out set whose failures were read: x1–x2 (heldout-3), a1–a2 (heldout-5), b1–b2 (heldout-6), c1–c2
        // (heldout-7), d1–d2 (heldout-8), e1–e2 (heldout-9). The insult model is trained on all of them.
        var evaluation = Evaluate("dev");
        Assert.Equal(7560, evaluation.Count);
        var figures = evaluation.Render(failures: true);
        Assert.True(evaluation.RudeRecall >= Dev.RudeRecall, figures);
        Assert.True(evaluation.Recall("insult") >= Dev.InsultRecall, figures);
        Assert.True(evaluation.Recall("obscene") >= Dev.ObsceneRecall, figures);
        Assert.True(evaluation.CleanFalseAlarms <= Dev.CleanFalseAlarms, figures);
        Assert.True(evaluation.Flagged("clean-technical") <= Dev.TechnicalFlagged, figures);
        Assert.True(evaluation.CleanUnsure <= Dev.CleanUnsure, figures);
    }

    /// <summary>The held-out sets (heldout-10: f1–f2, session 15, the honest one; heldout-4: z1–z2, session 9, never
    /// printed, its aggregates read many times: a worn second check) are
    /// written blind by other sessions and committed on main; a branch without one fails here rather than skipping, so a merge cannot quietly
    /// drop an honest measurement. The floors are a ratchet at the figures last measured (<see cref="Floors"/>); issue
    /// 13's "done when" (rude 0.98, insults 0.95, false alarms 0.5 %, no technical string flagged) is printed with them.</summary>
    [Theory]
    [InlineData("heldout-4")]
    [InlineData("heldout-10")]
    public void HeldOutSet_StaysAboveItsFloors(string set)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Corpora", "rudeness", set);
        Assert.True(Directory.Exists(directory) && Directory.GetFiles(directory, "*.jsonl").Length > 0,
            $"The held-out set corpora/rudeness/{set} is missing ({directory}): it is written blind and committed on main; merge main.");
        var evaluation = RudenessEvaluation.Run(RudenessEvaluation.Read(directory), RudenessDetector.Default);
        Assert.True(evaluation.Count >= 800, $"{set} has {evaluation.Count} texts; issue 13 asks for at least 800.");
        // Aggregates only: printing the held-out failures would make it development data.
        var figures = evaluation.Render(failures: false) + "\nissue 13 asks for: rude recall ≥ 0.98, insults ≥ 0.95, clean false alarms ≤ 0.5 %, no clean technical string flagged";
        var floors = Floors(set);
        Assert.True(evaluation.RudeRecall >= floors.RudeRecall, figures);
        Assert.True(evaluation.Recall("insult") >= floors.InsultRecall, figures);
        Assert.True(evaluation.CleanFalseAlarms <= floors.CleanFalseAlarms, figures);
        Assert.True(evaluation.Flagged("clean-technical") <= floors.TechnicalFlagged, figures);
    }

    private sealed record HeldOutFloors(double RudeRecall, double InsultRecall, double CleanFalseAlarms, int TechnicalFlagged);

    /// <summary>heldout-2 (now in dev) was scored first with the session-6 detector 0.848 rude, 0.694 insults, 0 false
    /// alarms, 1 technical unsure; with the session-7 detector 0.880, 0.767, 0, 1; with the learned insult model
    /// (session 8) 0.907, 0.833, 0, 1. heldout-3: scored first with the session-7 detector 0.934, 0.889, 0.7 % (3 of 400),
    /// 2 technical unsure; with the learned insult model 0.943, 0.911, 0.7 %, 2; session 8 (second round) (heldout-2 in dev, the model
    /// retrained, the classes of its failures) 0.950 (418 of 440), 0.922 (166 of 180), 0.7 %, 2; with the model's threshold
    /// raised to 0.94 so the clean near misses stay clean, 0.948 (417 of 440), 0.917 (165 of 180), 0.7 %, 2. heldout-4: scored
    /// first with the session-9 detector (two readings of dev fixed first) 0.959, 0.911, 0.7 % (3 of 400), 2 technical
    /// unsure. (Retraining the insult model on dev + heldout-3 gave 0.961, 0.917 there, but made «Кто у вас отвечает за
    /// почту?» unsure — a clean near miss — so heldout-3 stays out of the training and the model as it was.)</summary>
    private static HeldOutFloors Floors(string set) => set switch
    {
        // Session 10: a short Latin word that begins a name or a host elsewhere in the text is that name — 2 → 1 technical.
        // Session 15: the insult model trained on the read held-out sets as well — 0.964 → 0.970, insults 0.922 → 0.939.
        "heldout-4" => new(RudeRecall: 0.969, InsultRecall: 0.938, CleanFalseAlarms: 0.0076, TechnicalFlagged: 1),
        // heldout-10 (f1–f2, written blind in session 15, committed 4a07bc8, aggregates only — the honest set now): first
        // scored with the session-14 detector 0.950 (sure 0.830), obscene 0.969, insults 0.922, 1.0 % false alarms (4 of
        // 400), 1.5 % unsure, one technical string flagged. The same session's changes (two prefixes stacked, Greek
        // look-alikes, the insult model trained on the read held-out sets and the knowledge base's questions): 0.959
        // (sure 0.836), 0.973, 0.939.
        "heldout-10" => new(RudeRecall: 0.958, InsultRecall: 0.938, CleanFalseAlarms: 0.0101, TechnicalFlagged: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, "No floors for this held-out set."),
    };

    /// <summary>What the development set scores now: a ratchet, raised when the detector improves (docs/policy.md).</summary>
    private static class Dev
    {
        // Session 7 (r1–r2 + s1–s2), after tuning on it: rude recall 0.997, insult 0.992, obscene 1.000, false alarms 0 of
        // 800, clean unsure 1.0 %, clean technical flagged 1 (unsure). At the start: 0.958, 0.917, 0.987, 0.2 %, 1.3 %, 3.
        // Session 8, with the learned insult model (trained on this set, so these are fitted figures): 1.000, 1.000, 1.000,
        // 0, 1.0 %, 1. Session 8, second round, u1–u2 (heldout-2) added: at the start 0.969, 0.944, 0.986, 0, 2.1 %, 2; with the model
        // retrained on the 2520 texts and the classes of u1–u2's failures 0.990, 0.987 (533 of 540), 0.992 (774 of 780), 0,
        // 1.6 % (19 of 1200), 2 (unsure).
        // Session 15, six read held-out sets folded in (7560 texts), the model retrained on them and on the knowledge
        // base's own questions (clean, in rudeness.tsv): 0.985, 0.982, 0.987, 0.2 % (8 of 3600: the read sets' false
        // alarms), 1.7 %, 7 (unsure).
        public const double RudeRecall = 0.984;
        public const double InsultRecall = 0.981;
        public const double ObsceneRecall = 0.986;
        public const double CleanFalseAlarms = 0.0025;
        public const int TechnicalFlagged = 7;
        public const double CleanUnsure = 0.018;
    }

    /// <summary>The shipped insult model (src/Reglament.Russian/InsultModel.bin) is the one the development set and the
    /// older labelled set train — bit for bit — and so was trained on nothing held out. After changing either, or the
    /// features, run `reglament text train-insult-model corpora/rudeness/dev --tsv
    /// tests/Reglament.Russian.Tests/TestData/rudeness.tsv --out src/Reglament.Russian/InsultModel.bin`.</summary>
    [Fact]
    public void ShippedInsultModel_IsTheOneTheDevelopmentSetTrains()
    {
        var examples = InsultModelTraining.Read(Path.Combine(AppContext.BaseDirectory, "Corpora", "rudeness", "dev"),
            Path.Combine(AppContext.BaseDirectory, "TestData", "rudeness.tsv"));
        using var trained = new MemoryStream();
        InsultModelTraining.Train(InsultModelTraining.Sentences(examples)).Write(trained);
        using var shipped = new MemoryStream();
        using (var resource = typeof(InsultModel).Assembly.GetManifestResourceStream("Reglament.Russian.InsultModel.bin"))
        {
            Assert.NotNull(resource);
            resource.CopyTo(shipped);
        }
        Assert.True(trained.ToArray().AsSpan().SequenceEqual(shipped.ToArray()), "InsultModel.bin is not the model corpora/rudeness/dev trains: retrain it (see the summary)");
    }
}
