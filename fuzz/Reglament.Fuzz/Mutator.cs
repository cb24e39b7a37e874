using System.Text;

namespace Reglament.Fuzz;

/// <summary>Seeded-random mutations of the seed corpus, without coverage guidance: the deterministic run of the test
/// suite, and <c>reglament-fuzz mutate</c> where no libFuzzer or AFL is at hand. Same seed, same inputs.</summary>
public static class Mutator
{
    /// <summary>What MIME and HTML parsers trip on, inserted whole: a byte flip seldom makes a boundary.</summary>
    private static readonly byte[][] Tokens = [.. new[]
    {
        "\r\n", "\r\n\r\n", "--", "--b--", "boundary=\"b\"", "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: message/rfc822\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "charset=koi8-r", "charset=x-unknown",
        "format=flowed", "=?utf-8?B?", "=?windows-1251?Q?", "?=", "=\r\n", "=D0", "<blockquote>", "</blockquote>", "<script>", "<!--", "-->",
        "<![CDATA[", "&#x", "&nbsp;", "<p>", "<table><tr><td>", "> ", ">> ", "-- \r\n", "-----Original Message-----", "От: ", "написал:",
        "\0", "\u00ff", "\ufeff", "\ud7ff",
    }.Select(Encoding.UTF8.GetBytes)];

    public static byte[] Mutate(byte[] seed, IReadOnlyList<(string Name, byte[] Content)> corpus, Random random)
    {
        var data = new List<byte>(seed);
        var operations = random.Next(1, 5);
        for (var k = 0; k < operations; k++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(random.Next(1, 64), data.Count - at));
                    break;
                case 3 when data.Count > 0 && data.Count < 200_000:
                    // A run repeated: what turns a shape into a deep or long one.
                    var length = Math.Min(random.Next(1, 32), data.Count - at);
                    var run = data.GetRange(at, length);
                    for (var n = random.Next(2, 200); n > 0; n--)
                        data.InsertRange(at, run);
                    break;
                case 4:
                    var other = corpus[random.Next(corpus.Count)].Content;
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(1, 512))).ToArray());
                    break;
                default:
                    if (data.Count > 0)
                        data[at] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. data];
    }
}
