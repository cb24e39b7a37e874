using System.Text;

namespace Reglament.Mail;

/// <summary>The Cyrillic code pages of Russian mail. .NET carries only the Unicode encodings by default; the code
/// pages come from the CodePages provider, registered here before first use.</summary>
public static class Charsets
{
    static Charsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1251 { get; } = Get(1251);

    public static Encoding Koi8R { get; } = Get(20866);

    private static Encoding Get(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }
}
