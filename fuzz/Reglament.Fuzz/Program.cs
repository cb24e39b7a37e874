using Reglament.Fuzz;
using SharpFuzz;

// reglament-fuzz seeds DIR — write the seed corpus; reglament-fuzz mutate COUNT SEED — seeded mutations without
// coverage guidance; reglament-fuzz afl — AFL's fork server (input on standard input);
// reglament-fuzz (no arguments) — under libfuzzer-dotnet. See docs/fuzzing.md.
switch (args)
{
    case ["seeds", var folder]:
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in Seeds.All())
            File.WriteAllBytes(Path.Combine(folder, name), content);
        return 0;
    case ["mutate", var countText, var seedText]:
        // Without coverage guidance: the suite's replay, longer. A finding is printed with its input and ends the run.
        var corpus = Seeds.All().ToList();
        var random = new Random(int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture));
        var count = int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            var input = Mutator.Mutate(corpus[random.Next(corpus.Count)].Content, corpus, random);
            try
            {
                MailTarget.Run(input);
            }
            catch (Exception e)
            {
                Directory.CreateDirectory("findings");
                var file = Path.Combine("findings", $"mutation-{seedText}-{i}.eml");
                File.WriteAllBytes(file, input);
                Console.Error.WriteLine($"{file}: {e}");
                return 1;
            }
        }
        Console.WriteLine($"{count} mutations (seed {seedText}): no finding");
        return 0;
    case ["afl"]:
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            MailTarget.Run(buffer.ToArray());
        });
        return 0;
    case []:
        Fuzzer.LibFuzzer.Run(span => MailTarget.Run(span));
        return 0;
    default:
        Console.Error.WriteLine("usage: reglament-fuzz [seeds DIR | mutate COUNT SEED | afl]");
        return 64;
}
