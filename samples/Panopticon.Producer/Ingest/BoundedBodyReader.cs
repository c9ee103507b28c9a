using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;

namespace Panopticon.Producer.Ingest;

/// <summary>
/// Reads a request body, inflating gzip, and stops as soon as the decompressed size passes the limit, so a
/// gzip bomb never inflates further than the limit. The framework's request-decompression middleware takes its
/// limit from the server's max-body-size feature (absent in TestServer) and passes unknown encodings through;
/// the Producer needs the same 413/400/415 answers on every host.
/// </summary>
internal static class BoundedBodyReader
{
    public static async Task<BodyReadResult> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var gzip = false;
        var encodings = request.Headers.ContentEncoding;
        if (encodings.Count > 1)
        {
            return BodyReadResult.Fail(BodyReadStatus.UnsupportedEncoding, "only one Content-Encoding (gzip or identity) is supported");
        }

        if (encodings.Count == 1)
        {
            var encoding = encodings[0]?.Trim() ?? string.Empty;
            if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = true;
            }
            else if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                return BodyReadResult.Fail(BodyReadStatus.UnsupportedEncoding, "unsupported Content-Encoding; send gzip or identity");
            }
        }

        // Compressed input may be slightly larger than its output for incompressible data; allow for that.
        var rawLimit = gzip ? maxBytes + (maxBytes / 100) + 65_536 : maxBytes;
        if (request.ContentLength > rawLimit)
        {
            return TooLarge(maxBytes);
        }

        // Kestrel's own limit (30 MB by default) must not undercut a larger configured one.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = rawLimit + 1;
        }

        var raw = new LimitedReadStream(request.Body, rawLimit);
        Stream source = gzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        await using (source.ConfigureAwait(false))
        {
            try
            {
                var output = new MemoryStream(capacity: (int)Math.Min(request.ContentLength ?? 16_384, maxBytes));
                var buffer = new byte[81_920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (output.Length + read > maxBytes)
                    {
                        return TooLarge(maxBytes);
                    }

                    output.Write(buffer, 0, read);
                }

                return new BodyReadResult(BodyReadStatus.Ok, output.GetBuffer().AsMemory(0, (int)output.Length), null);
            }
            catch (LimitedReadStream.LimitExceededException)
            {
                return TooLarge(maxBytes);
            }
            catch (InvalidDataException)
            {
                return BodyReadResult.Fail(BodyReadStatus.CorruptEncoding, "request body is not valid gzip");
            }
        }
    }

    private static BodyReadResult TooLarge(long maxBytes) =>
        BodyReadResult.Fail(BodyReadStatus.TooLarge, $"request body exceeds {maxBytes} bytes after decompression");
}
