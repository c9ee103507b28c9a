using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace Panopticon.Producer.Tests;

/// <summary>
/// Throws well over a thousand malformed, truncated, oversized and hostile requests at a real Kestrel-hosted
/// Producer: none may get a 5xx, the process keeps answering, and data stored before is untouched.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20251123;
    private const int MaxBodyBytes = 256 * 1024;

    [Fact]
    public async Task Hostile_ingest_requests_never_get_a_5xx_and_do_not_disturb_stored_data()
    {
        await using var producer = await KestrelProducer.StartAsync(
            $"--Producer:MaxBodyBytes={MaxBodyBytes}",
            "--Producer:RateLimit:PermitLimit=1000000");
        var client = producer.Client;

        var traceId = Wire.NewTraceId();
        using (var seeded = await client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId()), Wire.Span(traceId, Wire.NewSpanId(), kind: "CLIENT"))))
        using (var seededLogs = await client.PostAsync("/sdk/logs", Wire.Array(Wire.Log("before the storm", traceId: traceId))))
        {
            Assert.Equal(HttpStatusCode.Accepted, seeded.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, seededLogs.StatusCode);
        }

        var before = await client.GetStringAsync($"/api/traces/{traceId}");

        var cases = new FuzzCases(Seed, MaxBodyBytes).Generate(1200).ToList();
        var statuses = new ConcurrentDictionary<string, int>();
        var serverErrors = new ConcurrentBag<string>();
        var transportErrors = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, ct) =>
        {
            var (fuzzCase, index) = item;
            try
            {
                using var response = await client.SendAsync(ToRequest(fuzzCase), ct);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate($"{fuzzCase.Kind} {status}", 1, (_, n) => n + 1);
                if (status >= 500)
                {
                    serverErrors.Add($"{FuzzCases.Describe(Seed, index, fuzzCase)} -> {status} {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
            catch (HttpRequestException ex)
            {
                // The server may answer 413 and close before an oversized upload is fully sent; that is not a 5xx.
                transportErrors.Add($"{FuzzCases.Describe(Seed, index, fuzzCase)}: {ex.Message}");
            }
        });

        var rawStatuses = new List<int?>();
        foreach (var raw in RawRequests(producer.Address))
        {
            rawStatuses.Add(await SendRawAsync(producer.Address, raw));
        }

        // The one 5xx no application can avoid: Kestrel's HTTP parser answers an unknown protocol version with
        // 505 before any middleware runs (or just closes, when the client has already half-closed). It is checked
        // on its own so every other raw request must stay under 500.
        var unknownVersion = await SendRawAsync(producer.Address, Encoding.Latin1.GetBytes($"POST /sdk/logs HTTP/9.9\r\nHost: {producer.Address.Authority}\r\n\r\n"));
        Assert.True(unknownVersion is null or 505, $"unknown HTTP version answered {unknownVersion}");

        foreach (var line in statuses.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{line.Key}: {line.Value}");
        }

        output.WriteLine($"raw: {string.Join(", ", rawStatuses.Select(s => s?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed"))}");
        foreach (var error in transportErrors)
        {
            output.WriteLine($"transport: {error}");
        }

        Assert.Empty(serverErrors);
        Assert.All(rawStatuses, s => Assert.True(s is null or < 500, $"raw request answered {s}"));
        Assert.True(statuses.Values.Sum() + transportErrors.Count == cases.Count);
        Assert.True(transportErrors.Count <= cases.Count / 100, $"too many transport errors: {transportErrors.Count}");
        Assert.Contains(statuses.Keys, k => k.EndsWith(" 400", StringComparison.Ordinal));
        Assert.Contains(statuses.Keys, k => k.EndsWith(" 413", StringComparison.Ordinal));

        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(before, await client.GetStringAsync($"/api/traces/{traceId}"));
        using var after = await client.PostAsync("/sdk/logs", Wire.Array(Wire.Log("after the storm")));
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    private static HttpRequestMessage ToRequest(FuzzCase fuzzCase)
    {
        var request = new HttpRequestMessage(new HttpMethod(fuzzCase.Method), fuzzCase.Path) { Content = new ByteArrayContent(fuzzCase.Body) };
        foreach (var (name, value) in fuzzCase.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>Requests an HTTP client library would refuse to send: broken framing, lying lengths, bad header syntax.</summary>
    private static IEnumerable<byte[]> RawRequests(Uri address)
    {
        var host = $"Host: {address.Authority}\r\n";
        var key = $"X-API-Key: {ProducerFactory.Key}\r\n";
        string[] requests =
        [
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Content-Length: 1000\r\n\r\n[{{\"type\":",
            $"POST /sdk/traces HTTP/1.1\r\n{host}{key}Content-Length: 5\r\n\r\n[1,2,3,4,5,6]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Transfer-Encoding: chunked\r\n\r\nZZ\r\n[]\r\n0\r\n\r\n",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Transfer-Encoding: chunked\r\n\r\n5\r\n[{{}}",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n[]\r\n0\r\n\r\n",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\u001f\u008b\u0008\u0000",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Content-Length: -1\r\n\r\n[]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Content-Length: 99999999999999999999\r\n\r\n[]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}NoColonHeader\r\n\r\n",
            $"POST /sdk/logs HTTP/1.1\r\n{host}X-API-Key: a\u0000b\r\nContent-Length: 2\r\n\r\n[]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}X-Folded: a\r\n folded\r\n{key}Content-Length: 2\r\n\r\n[]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}X-Big: {new string('x', 70_000)}\r\n\r\n",
            $"POST /../../etc/passwd HTTP/1.1\r\n{host}\r\n",
            $"POST /sdk/logs?{new string('q', 10_000)} HTTP/1.1\r\n{host}{key}Content-Length: 2\r\n\r\n[]",
            "GARBAGE\r\n\r\n",
            $"POST /sdk/logs HTTP/1.0\r\n{key}Content-Length: 2\r\n\r\n[]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{host}{key}Content-Length: 2\r\n\r\n[]",
            $"PUT /sdk/logs HTTP/1.1\r\n{host}{key}Content-Length: 2\r\n\r\n[]",
            $"POST /sdk/logs HTTP/1.1\r\n{host}{key}Expect: 100-continue\r\nContent-Length: 2\r\n\r\n",
        ];
        return requests.Select(r => Encoding.Latin1.GetBytes(r));
    }

    /// <summary>Sends bytes, half-closes, and returns the status code of the first response line (null if the server just closed).</summary>
    private static async Task<int?> SendRawAsync(Uri address, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(IPAddress.Loopback, address.Port, timeout.Token);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server may reject and close before reading everything (e.g. a 70 KB header).
        }

        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while (received.Length < 64 * 1024 && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset after the response is fine; whatever arrived is parsed below.
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^HTTP/1\.[01] (\d{3})");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
