using System.Net;
using System.Text;

namespace Panopticon.Producer.Tests;

public sealed class BodyLimitTests : IDisposable
{
    private const int Limit = 64 * 1024;

    private readonly ProducerFactory _factory = new(new() { ["Producer:MaxBodyBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat(Wire.Log().ToJsonString(), 400)) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(body) > Limit);

        using var response = await _factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"exceeds {Limit} bytes", (await response.JsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_accepted()
    {
        var time = DateTimeOffset.UtcNow;
        var overhead = Wire.Array(Wire.Log(message: string.Empty, time: time)).ToJsonString().Length;
        var body = Wire.Array(Wire.Log(message: new string('x', Limit - overhead), time: time)).ToJsonString();
        Assert.Equal(Limit, Encoding.UTF8.GetByteCount(body));

        using var response = await _factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", body));
        using var over = await _factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", body + " "));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
    }

    [Fact]
    public async Task A_gzip_bomb_is_413_after_inflating_at_most_the_limit()
    {
        // 50 MB of spaces inside an array compresses to ~50 KB: small on the wire, far over the limit inflated.
        var inflated = new byte[50 * 1024 * 1024];
        Array.Fill(inflated, (byte)' ');
        inflated[0] = (byte)'[';
        inflated[^1] = (byte)']';
        var compressed = Wire.Gzip(inflated, System.IO.Compression.CompressionLevel.SmallestSize);
        Assert.True(compressed.Length < Limit);

        var request = new HttpRequestMessage(HttpMethod.Post, "/sdk/logs") { Content = new ByteArrayContent(compressed) };
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Add("X-API-Key", ProducerFactory.Key);
        using var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Gzip_bodies_are_inflated_and_stored()
    {
        var traceId = Wire.NewTraceId();
        var spans = Wire.Array(Wire.Span(traceId, Wire.NewSpanId()), Wire.Span(traceId, Wire.NewSpanId(), kind: "INTERNAL"));

        using var response = await _factory.CreateClient().PostAsync("/sdk/traces", spans, gzip: true);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await (await _factory.CreateClient().GetAsync($"/api/traces/{traceId}")).JsonAsync();
        Assert.Equal(2, trace["spans"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("not gzip at all")]
    [InlineData("\u001f\u008b\u0008\u0000garbage-after-a-gzip-magic-number")]
    public async Task Corrupt_gzip_is_400(string body)
    {
        var request = Wire.Request("/sdk/logs", Encoding.Latin1.GetBytes(body));
        request.Content!.Headers.ContentEncoding.Add("gzip");

        using var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Truncated_gzip_is_400()
    {
        var compressed = Wire.Gzip(Encoding.UTF8.GetBytes(Wire.Array(Wire.Log(), Wire.Log()).ToJsonString()));

        using var response = await _factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", compressed[..(compressed.Length / 2)]).WithEncoding("gzip"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("deflate")]
    [InlineData("compress")]
    public async Task Unsupported_content_encoding_is_415(string encoding)
    {
        using var response = await _factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", "[]").WithEncoding(encoding));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Identity_content_encoding_is_plain()
    {
        using var response = await _factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", "[]").WithEncoding("identity"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}

internal static class RequestExtensions
{
    public static HttpRequestMessage WithEncoding(this HttpRequestMessage request, string encoding)
    {
        request.Content!.Headers.ContentEncoding.Add(encoding);
        return request;
    }
}
