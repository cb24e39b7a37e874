using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.Tests.Infrastructure;

/// <summary>A stand-in rule for the review band that does not depend on the real rules' confidences: in the judgement
/// chain it finds a refusal reason, with the given confidence, in every request it applies to.</summary>
public sealed class ProposingStage(RefusalReasons reason, double confidence, Func<InboundRequest, bool>? applies = null) : IIntakeStage
{
    /// <summary>The evidence it gives: a doubtful word, as a rudeness rule would report it.</summary>
    public const string Rule = "DoubtfulRule";
    public const string Fragment = "блин-блинский";

    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (applies?.Invoke(context.Request) ?? true)
            context.Refuse(reason, new Evidence(Rule, reason.ToClauses(), "a word that may be rude, or may not", Fragment), confidence);
        return Task.CompletedTask;
    }
}

public static class ProposedRefusals
{
    /// <summary>The real pipeline of this scope with <paramref name="stage"/> in its judgement chain, before the answer stage.</summary>
    public static IntakePipeline Pipeline(IServiceProvider services, IIntakeStage stage)
    {
        var real = ActivatorUtilities.CreateInstance<IntakePipeline>(services);
        var judgement = real.Chains.Judgement.ToList();
        // Before the answer stage, as a real screening rule: a request with a proposed refusal is not answered.
        judgement.Insert(judgement.FindIndex(s => s is AnswerStage), stage);
        return new IntakePipeline(services.GetRequiredService<ReglamentDb>(), services.GetRequiredService<Reglament.Sla.SlaSignal>(), real.Chains with { Judgement = judgement });
    }

    /// <summary>Replaces the application's pipeline: requests whose subject contains <see cref="Marker"/> get a
    /// refusal reason R11d with confidence 0.5 — below the default threshold 0.8, so it is proposed for review.</summary>
    public static void Use(IServiceCollection services) =>
        services.AddScoped(sp => Pipeline(sp, new ProposingStage(RefusalReasons.RudeForm, 0.5, r => r.Subject.Contains(Marker, StringComparison.Ordinal))));

    public const string Marker = "[doubtful]";
}
