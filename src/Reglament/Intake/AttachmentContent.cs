namespace Reglament.Intake;

/// <summary>The bytes of a file that came with a request: held in memory (the API, the portal, a letter's scan), or —
/// for an attachment of a mail — decoded afresh from the raw message each time they are read.</summary>
/// <remarks>Why not always an array: the raw message is kept in memory anyway and MimeKit parses it persistently (a
/// part is a window on the raw bytes), so an attachment decoded into an array of its own was the same bytes a second
/// time — 40 MB more at the peak for a 40 MB attachment (docs/performance.md, «A large attachment»). Decoding again
/// costs milliseconds; it happens three times (counted when parsed, hashed and written when stored).</remarks>
public sealed class AttachmentContent
{
    private readonly byte[]? bytes;
    private readonly Func<Stream>? open;

    private AttachmentContent(byte[]? bytes, Func<Stream>? open, long length) => (this.bytes, this.open, Length) = (bytes, open, length);

    /// <summary>How many bytes there are.</summary>
    public long Length { get; }

    public static AttachmentContent Of(byte[] bytes) => new(bytes, null, bytes.LongLength);

    /// <summary>Bytes that <paramref name="open"/> produces afresh at every call, exactly <paramref name="length"/> of
    /// them (the caller counted them through the same function).</summary>
    public static AttachmentContent Decoded(Func<Stream> open, long length) => new(null, open, length);

    /// <summary>A readable stream of the bytes from the start. It is seekable with its length known, because that is
    /// what lets Npgsql stream a parameter instead of buffering it (Data/LargeColumns).</summary>
    public Stream OpenRead() => bytes is not null ? new MemoryStream(bytes, writable: false) : new ReopeningStream(open!, Length);

    /// <summary>A copy of the bytes in one array (for the few readers that want them whole, such as tests).</summary>
    public byte[] ToArray()
    {
        if (bytes is not null)
            return [.. bytes];
        using var stream = OpenRead();
        var copy = new byte[Length];
        stream.ReadExactly(copy);
        return copy;
    }

    /// <summary>A forward reader over a stream that can only be produced from the start; a seek backwards opens it
    /// again, a seek forwards reads and discards. Readers here go forwards only.</summary>
    private sealed class ReopeningStream(Func<Stream> open, long length) : Stream
    {
        private Stream? inner;
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => Seek(value, SeekOrigin.Begin); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = (inner ??= open()).Read(buffer);
            position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await (inner ??= open()).ReadAsync(buffer, cancellationToken);
            position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => position + offset,
                _ => length + offset,
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            if (target < position)
            {
                inner?.Dispose();
                (inner, position) = (null, 0);
            }
            Span<byte> discard = stackalloc byte[4096];
            while (position < target && Read(discard[..(int)Math.Min(discard.Length, target - position)]) > 0)
            {
            }
            return position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner?.Dispose();
            base.Dispose(disposing);
        }
    }
}
