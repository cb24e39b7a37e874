using Reglament.Policy;

namespace Reglament.Tests.Infrastructure;

/// <summary>The judgement models a test desk trained, handed to the next desk of this test process. Each desk has its
/// own data directory, and a desk trains its models (about two CPU-seconds) unless the directory holds them
/// (<see cref="JudgementModels.CacheFileName"/>): several hundred desks trained the same models again, a quarter of the
/// suite's time. The file is only a cache — it carries the key of what trained it, and a desk with other rule settings
/// does not read it but trains its own — so a desk judges exactly as it would have without it.</summary>
internal static class TrainedModels
{
    private static readonly Lazy<string> Kept = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("reglament-models-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return Path.Combine(directory, JudgementModels.CacheFileName);
    });

    private static readonly Lock Gate = new();

    /// <summary>Puts the kept models into a new desk's data directory.</summary>
    public static void CopyInto(string dataDirectory)
    {
        lock (Gate)
        {
            if (File.Exists(Kept.Value))
                File.Copy(Kept.Value, Path.Combine(dataDirectory, JudgementModels.CacheFileName), overwrite: true);
        }
    }

    /// <summary>Keeps the models a desk leaves in its data directory, if it trained any (the latest training wins, so
    /// the models of the settings most desks use are the ones handed on).</summary>
    public static void KeepFrom(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, JudgementModels.CacheFileName);
        lock (Gate)
        {
            if (!File.Exists(file) || File.Exists(Kept.Value) && FilesEqual(file, Kept.Value))
                return;
            var next = Kept.Value + ".next";
            File.Copy(file, next, overwrite: true);
            File.Move(next, Kept.Value, overwrite: true);
        }
    }

    private static bool FilesEqual(string a, string b) =>
        new FileInfo(a).Length == new FileInfo(b).Length && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
}
