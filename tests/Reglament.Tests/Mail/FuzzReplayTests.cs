using Reglament.Fuzz;
using Reglament.Mail;

namespace Reglament.Tests.Mail;

/// <summary>Issue #18, the fuzzing run the suite can afford: the seed corpus and a fixed set of seeded-random mutations
/// of it through the harness's own entry point (<see cref="MailTarget.Run"/>), with no coverage guidance — the
/// coverage-guided long run is docs/fuzzing.md. Deterministic: the same seed gives the same inputs, and each run is
/// bounded by allocated memory (the same on every machine), not by time. Findings become tests below.</summary>
public sealed class FuzzReplayTests
{
    /// <summary>Bytes one input may allocate in the harness: the seeds are a few kilobytes, so a run that allocates
    /// this much is work out of proportion to its input.</summary>
    private const long MaxAllocatedBytes = 256L * 1024 * 1024;

    private const int Mutations = 3000;

    private static readonly (string Name, byte[] Content)[] Corpus = [.. Seeds.All()];

    private static void RunBounded(byte[] input, string what)
    {
        using var budget = IntakeBudget.Start(new IntakeLimits { MaxIntakeTime = TimeSpan.FromHours(1), MaxAllocatedBytes = MaxAllocatedBytes }, TimeProvider.System, TestContext.Current.CancellationToken);
        try
        {
            MailTarget.Run(input, budget);
            budget.Check("the end");
        }
        catch (Exception e) when (e is not OperationCanceledException || budget.IsSpent)
        {
            throw new Xunit.Sdk.XunitException($"{what} ({input.Length} bytes, base64 {Convert.ToBase64String(input[..Math.Min(input.Length, 4096)])}): {e}");
        }
    }

    [Fact]
    public void SeedCorpus_HasTheGeneratedShapesAndTheClientMail()
    {
        Assert.Contains(Corpus, s => s.Name == "html-blockquote");
        Assert.Contains(Corpus, s => s.Name.StartsWith("client-formats-", StringComparison.Ordinal));
        Assert.True(Corpus.Length >= 30, $"{Corpus.Length} seeds");
    }

    [Fact]
    public void SeedCorpus_GoesThroughTheHarness()
    {
        foreach (var (name, content) in Corpus)
            RunBounded(content, name);
    }

    [Fact]
    public void SeededMutations_NeverThrow_AndStayWithinTheMemoryBudget()
    {
        var random = new Random(18);
        for (var i = 0; i < Mutations; i++)
        {
            var (name, content) = Corpus[random.Next(Corpus.Length)];
            var mutated = Mutator.Mutate(content, Corpus, random);
            RunBounded(mutated, $"mutation {i} of {name}");
        }
    }
}
