using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// A bounded HTTP/1.1 load loop over plain keep-alive sockets. Unlike <c>HttpClient</c>, it creates no
/// <c>System.Net.Http</c> activity, so an SDK's HttpClient instrumentation in the same process does not trace the load
/// itself: only the server side is measured. Expects responses with a <c>Content-Length</c> and status 200.
/// </summary>
internal sealed class RawHttpLoad(IPEndPoint server, int connections)
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContentLength = "\r\nContent-Length: "u8.ToArray();

    /// <summary>Sends <paramref name="count"/> GET requests to <c>{pathPrefix}{n}</c> over the connections; throws on any non-200 answer.</summary>
    public async Task DriveAsync(string pathPrefix, int count)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server);
            var buffer = new byte[8 * 1024];
            int n;
            while ((n = Interlocked.Increment(ref next)) <= count)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {pathPrefix}{n} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                await ReadResponseAsync(socket, buffer);
            }
        }));
    }

    private static async Task ReadResponseAsync(Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
        {
            filled += await Receive(socket, buffer, filled);
        }

        var headers = buffer.AsSpan(0, headerEnd);
        if (!headers.StartsWith("HTTP/1.1 200 "u8))
        {
            throw new InvalidOperationException("Unexpected response: " + Encoding.ASCII.GetString(headers));
        }

        var lengthAt = headers.IndexOf(ContentLength);
        if (lengthAt < 0 || !Utf8Parser.TryParse(headers[(lengthAt + ContentLength.Length)..], out int length, out _))
        {
            throw new InvalidOperationException("Response without Content-Length: " + Encoding.ASCII.GetString(headers));
        }

        var total = headerEnd + HeaderEnd.Length + length;
        while (filled < total)
        {
            filled += await Receive(socket, buffer, filled);
        }
    }

    private static async Task<int> Receive(Socket socket, byte[] buffer, int offset)
    {
        var read = await socket.ReceiveAsync(buffer.AsMemory(offset));
        return read > 0 ? read : throw new InvalidOperationException("The server closed the connection.");
    }
}
