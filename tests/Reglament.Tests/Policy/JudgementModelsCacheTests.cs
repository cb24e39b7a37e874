using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

/// <summary>The trained judgement models kept in the data directory (issue 17: every <c>ingest</c> process trained them
/// again): a process loads what an earlier one trained — bit for bit the same models, so the same decisions — and
/// trains anew whenever what the training reads has changed or the file is not whole.</summary>
public sealed class JudgementModelsCacheTests : IDisposable
{
    private static readonly FakeClock Clock = new(Instant.FromUtc(2026, 12, 7, 8, 0));
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reglament-models-");

    private string CacheFile => Path.Combine(directory.FullName, JudgementModels.CacheFileName);

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void A_second_process_loads_the_models_the_first_trained_bit_for_bit()
    {
        using var first = Services();
        var trained = first.GetRequiredService<JudgementModels>();
        var trainedBytes = Serialized(trained);
        Assert.False(trained.LoadedFromCache);
        Assert.True(File.Exists(CacheFile));

        using var second = Services();
        var loaded = second.GetRequiredService<JudgementModels>();
        Assert.Equal(trainedBytes, Serialized(loaded));
        Assert.True(loaded.LoadedFromCache);
        var text = "VPS не отвечает по SSH с утра, сайт выдаёт 502. Логин b00003";
        Assert.Equal(trained.Type.Predict(trained.Features(text)), loaded.Type.Predict(loaded.Features(text)), PredictionComparer.Instance);
        Assert.Equal(trained.Impact.Predict(trained.Features(text)), loaded.Impact.Predict(loaded.Features(text)), PredictionComparer.Instance);
    }

    [Fact]
    public void A_changed_rule_setting_trains_again()
    {
        using (var first = Services())
            _ = first.GetRequiredService<JudgementModels>().Type;

        // The phrase lists make features, so models trained with others are other models.
        using var changed = Services(new() { ["Policy:RequestType:Problem:0"] = "не фурычит" });
        var models = changed.GetRequiredService<JudgementModels>();
        _ = models.Type;
        Assert.False(models.LoadedFromCache);

        // The file now holds the changed desk's models; the original settings train once more and then load.
        using var again = Services();
        Assert.False(Touch(again));
        using var last = Services();
        Assert.True(Touch(last));
    }

    [Fact]
    public void A_damaged_file_is_not_read_but_replaced()
    {
        using (var first = Services())
            _ = first.GetRequiredService<JudgementModels>().Type;
        var bytes = File.ReadAllBytes(CacheFile);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(CacheFile, bytes);

        using var second = Services();
        Assert.False(Touch(second));
        using var third = Services();
        Assert.True(Touch(third));

        File.WriteAllBytes(CacheFile, bytes.AsSpan(0, 100).ToArray());
        using var truncated = Services();
        Assert.False(Touch(truncated));
    }

    [Fact]
    public void A_fold_of_the_cross_validation_trains_without_the_file()
    {
        using (var desk = Services())
            _ = desk.GetRequiredService<JudgementModels>().Type;
        var before = File.ReadAllBytes(CacheFile);
        using var fold = Services(new() { ["Policy:Training:Exclude:0"] = "dev-0001" });
        Assert.False(Touch(fold));
        Assert.Equal(before, File.ReadAllBytes(CacheFile));
    }

    [Fact]
    public async Task The_held_out_judgement_is_the_same_with_loaded_models()
    {
        var corpus = Path.Combine(AppContext.BaseDirectory, "Corpora", "policy", "heldout-8");
        var knowledgeBase = Path.Combine(Reglament.Demo.DemoSeeder.DemoDirectory, "kb");
        var token = TestContext.Current.CancellationToken;
        var trained = await PolicyEvaluation.RunAsync(corpus, knowledgeBase, Clock, cancellationToken: token);

        using (var desk = Services())
            _ = desk.GetRequiredService<JudgementModels>().Type;
        var withFile = Directory.CreateTempSubdirectory("reglament-models-eval-");
        try
        {
            File.Copy(CacheFile, Path.Combine(withFile.FullName, JudgementModels.CacheFileName));
            var loaded = await PolicyEvaluation.RunAsync(corpus, knowledgeBase, Clock,
                new Dictionary<string, string?> { ["Storage:DataDirectory"] = withFile.FullName }, cancellationToken: token);
            // Compared, never printed: a held-out set's failures must not become development data.
            Assert.True(trained.Render(failures: true) == loaded.Render(failures: true), "the loaded models judged the held-out set differently");
            Assert.Equal(320, loaded.Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            withFile.Delete(recursive: true);
        }
    }

    private static bool Touch(ServiceProvider services)
    {
        var models = services.GetRequiredService<JudgementModels>();
        _ = models.Type;
        return models.LoadedFromCache;
    }

    private ServiceProvider Services(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? []) { ["Storage:DataDirectory"] = directory.FullName };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddReglament(configuration, Clock).BuildServiceProvider();
    }

    private static byte[] Serialized(JudgementModels models)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            foreach (var model in new[] { models.Type, models.Impact, models.Completeness, models.SelfService })
                model.Write(writer);
        }
        return buffer.ToArray();
    }

    private sealed class PredictionComparer : IEqualityComparer<Prediction>
    {
        public static readonly PredictionComparer Instance = new();

        public bool Equals(Prediction? x, Prediction? y) =>
            x is not null && y is not null && x.Label == y.Label && x.Probability.Equals(y.Probability) && x.Drivers.SequenceEqual(y.Drivers)
            && x.Probabilities.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(y.Probabilities.OrderBy(p => p.Key, StringComparer.Ordinal));

        public int GetHashCode(Prediction obj) => obj.Label.GetHashCode(StringComparison.Ordinal);
    }
}
