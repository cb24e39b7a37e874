namespace Reglament.Letters;

/// <summary>The formats a scanned letter comes in. The file's first bytes decide, not its name or the browser's
/// content type: a renamed executable or document is not a scan.</summary>
public static class ScanFormats
{
    private static readonly (string ContentType, byte[] Magic, string[] Extensions)[] Known =
    [
        ("application/pdf", "%PDF-"u8.ToArray(), [".pdf"]),
        ("image/jpeg", [0xFF, 0xD8, 0xFF], [".jpg", ".jpeg"]),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [".png"]),
        ("image/tiff", [0x49, 0x49, 0x2A, 0x00], [".tif", ".tiff"]),
        ("image/tiff", [0x4D, 0x4D, 0x00, 0x2A], [".tif", ".tiff"]),
    ];

    /// <summary>The content type the bytes are, when they are a PDF, JPEG, PNG or TIFF whose name says the same
    /// format; otherwise null.</summary>
    public static string? Recognize(string fileName, ReadOnlySpan<byte> content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        foreach (var (contentType, magic, extensions) in Known)
        {
            if (content.StartsWith(magic))
                return extensions.Contains(extension) ? contentType : null;
        }
        return null;
    }
}
