using System.IO.Compression;
using System.Text.Json;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Panopticon.Sdk.Tests.Support;

/// <summary>WireMock playing the Panopticon Producer on a loopback port.</summary>
internal sealed class FakeProducer : IDisposable
{
    public const string LogsPath = "/sdk/logs";
    public const string TracesPath = "/sdk/traces";

    public FakeProducer(bool acceptAll = true, int? port = null)
    {
        // Raw bodies: tests inflate gzip themselves, so they check what really went over the wire.
        Server = WireMockServer.Start(new WireMockServerSettings { Port = port, DisableRequestBodyDecompressing = true });
        if (acceptAll)
        {
            Server.Given(Request.Create().UsingPost()).AtPriority(100).RespondWith(Response.Create().WithStatusCode(202).WithBody("{\"success\":true}"));
        }
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public IReadOnlyList<IRequestMessage> Requests(string? path = null) =>
        Server.LogEntries.Select(e => e.RequestMessage).Where(r => path is null || r.Path == path).OrderBy(r => r.DateTime).ToList();

    public IReadOnlyList<JsonElement> Records(string path) => Requests(path).SelectMany(RecordsOf).ToList();

    public static byte[] RawBody(IRequestMessage request) => request.BodyAsBytes ?? [];

    public static byte[] JsonBody(IRequestMessage request)
    {
        var raw = RawBody(request);
        if (!request.Headers!.TryGetValue("Content-Encoding", out var encoding) || !encoding.Contains("gzip"))
        {
            return raw;
        }

        using var inflated = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress))
        {
            gzip.CopyTo(inflated);
        }

        return inflated.ToArray();
    }

    public static IReadOnlyList<JsonElement> RecordsOf(IRequestMessage request)
    {
        using var document = JsonDocument.Parse(JsonBody(request));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static string Header(IRequestMessage request, string name) =>
        request.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    /// <summary>Waits (bounded) until at least <paramref name="count"/> requests arrived.</summary>
    public Task WaitForRequestsAsync(int count, string? path = null, TimeSpan? timeout = null) =>
        Wait.UntilAsync(() => Requests(path).Count >= count, timeout, $"{count} request(s) to {path ?? "any path"} (got {Requests(path).Count})");

    public void Dispose() => Server.Stop();
}
