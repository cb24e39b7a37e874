using System.Text.RegularExpressions;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>Request type (R3, R5) and criticality (R12): declared by the subscriber, or inferred from the words.
/// Config changes and backup restores are Low whatever was declared, as the regulation lists them under Low.</summary>
public sealed partial class ClassifyStage : IIntakeStage
{
    public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        if (context.IsReply)
            return Task.CompletedTask;
        var request = context.Request;
        var (type, typeFragment) = ClassifyType(request.Text);
        context.Type = type;
        context.Evidence.Add(new Evidence("RequestType", "R3", $"classified as {type}", typeFragment));

        if (type is RequestType.ConfigChange or RequestType.BackupRestore)
        {
            context.Criticality = Criticality.Low;
            context.Evidence.Add(new Evidence("Criticality", "R12", "config changes and backup restores are Low"));
            return Task.CompletedTask;
        }

        if ((FindDeclared(request.Subject) ?? FindDeclared(request.Body)) is { } declared)
        {
            context.Criticality = declared.Criticality;
            context.CriticalityDeclared = true;
            context.Evidence.Add(new Evidence("Criticality", "R12", $"declared by the subscriber as {declared.Criticality}", declared.Fragment));
            return Task.CompletedTask;
        }

        var (inferred, fragment) = Infer(type, request.Text);
        context.Criticality = inferred;
        context.Evidence.Add(new Evidence("Criticality", "R12", $"inferred as {inferred}", fragment));
        return Task.CompletedTask;
    }

    internal static (RequestType Type, string? Fragment) ClassifyType(string text)
    {
        if (BackupWords().Match(text) is { Success: true } backup && RestoreWords().IsMatch(text))
            return (RequestType.BackupRestore, backup.Value);
        if (ConfigWords().Match(text) is { Success: true } config && ChangeWords().IsMatch(text))
            return (RequestType.ConfigChange, config.Value);
        if (ProblemWords().Match(text) is { Success: true } problem)
            return (RequestType.Incident, problem.Value);
        return (RequestType.Question, null);
    }

    internal static (Criticality Criticality, string Fragment)? FindDeclared(string text)
    {
        var match = DeclaredCriticality().Match(text);
        if (!match.Success)
            return null;
        var word = match.Groups["level"].Value.ToLowerInvariant();
        Criticality? level = word switch
        {
            "critical" or "критичный" or "критический" or "критичная" or "критично" => Criticality.Critical,
            "urgent" or "срочный" or "срочная" or "срочно" or "высокая" or "высокий" => Criticality.Urgent,
            "normal" or "обычный" or "обычная" or "средний" or "средняя" or "нормальный" => Criticality.Normal,
            "low" or "низкий" or "низкая" => Criticality.Low,
            _ => null,
        };
        return level is { } l ? (l, match.Value) : null;
    }

    internal static (Criticality, string?) Infer(RequestType type, string text)
    {
        if (type != RequestType.Incident)
            return (Criticality.Low, null);
        if (CriticalWords().Match(text) is { Success: true } critical)
            return (Criticality.Critical, critical.Value);
        if (UrgentWords().Match(text) is { Success: true } urgent)
            return (Criticality.Urgent, urgent.Value);
        return (Criticality.Normal, null);
    }

    private const RegexOptions Words = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"(?:критичность|criticality|priority|приоритет)\s*[:\-—]?\s*(?<level>critical|urgent|normal|low|критичн\w+|критическ\w+|срочн\w+|высок\w+|обычн\w+|средн\w+|нормальн\w+|низк\w+)|(?<![\p{L}])(?<level>critical|urgent)(?![\p{L}])|\[(?<level>normal|low)\]", Words)]
    private static partial Regex DeclaredCriticality();

    [GeneratedRegex(@"бэкап\w*|бекап\w*|backup\w*|резервн\w+\s+коп\w+|из\s+резерв\w*", Words)]
    private static partial Regex BackupWords();

    [GeneratedRegex(@"восстанов\w*|верн\w+|откат\w*|restore", Words)]
    private static partial Regex RestoreWords();

    [GeneratedRegex(@"php\.ini|\.htaccess|nginx\.conf|httpd\.conf|my\.cnf|конфиг\w*|конфигурац\w+|параметр\w*\s+(?:php|сервер\w*|mysql)|лимит\w*|memory_limit|upload_max_filesize|max_execution_time", Words)]
    private static partial Regex ConfigWords();

    [GeneratedRegex(@"измен\w*|помен\w*|увелич\w*|уменьш\w*|установ\w*|добав\w*|включ\w*|отключ\w*|выстав\w*|change|increase|set\b", Words)]
    private static partial Regex ChangeWords();

    [GeneratedRegex(@"не\s+работа\w*|не\s+открыва\w*|не\s+отвеча\w*|не\s+загружа\w*|не\s+грузит\w*|не\s+приход\w*|не\s+отправля\w*|недоступ\w*|ошибк\w*|упал\w*|лежит|сбо[йи]\w*|пропал\w*|тормоз\w*|(?<!\d)50[0234](?!\d)|error|down|timeout|not\s+working", Words)]
    private static partial Regex ProblemWords();

    [GeneratedRegex(@"потер\w*\s+данн\w*|данн\w+\s+(?:пропал\w*|потерян\w*|удален\w*)|ничего\s+не\s+работает|полностью\s+(?:не\s+работа\w*|недоступ\w*)|вс[её]\s+(?:упало|лежит)|сайт\w*\s+и\s+почта\s+не\s+работают", Words)]
    private static partial Regex CriticalWords();

    [GeneratedRegex(@"сильно\s+тормоз\w*|очень\s+медленн\w*|периодически\s+недоступ\w*|не\s+работа\w*|недоступ\w*|упал\w*", Words)]
    private static partial Regex UrgentWords();
}
