using Reglament.Policy;

namespace Reglament.Tests.Policy;

public sealed class TextClassifierTests
{
    [Fact]
    public void Drivers_NameTheWordsThatMeanSomething_NotTheFunctionWords()
    {
        // «к» and «с» predict "person" as well as «сервер» does in this toy set; only «сервер» explains it.
        var model = TextClassifier.Train(
        [
            (TextClassifier.Features(["к", "сервер", "с"]), "person"),
            (TextClassifier.Features(["к", "сервер", "с", "упал"]), "person"),
            (TextClassifier.Features(["как", "оплат"]), "answered"),
            (TextClassifier.Features(["как", "настро", "почт"]), "answered"),
        ]);

        var prediction = model.Predict(TextClassifier.Features(["к", "сервер", "с"]));

        Assert.Equal("person", prediction.Label);
        Assert.Contains("сервер", prediction.Drivers);
        Assert.DoesNotContain("к", prediction.Drivers);
        Assert.DoesNotContain("с", prediction.Drivers);
    }
}
