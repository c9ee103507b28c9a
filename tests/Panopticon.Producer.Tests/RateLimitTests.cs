using System.Net;

namespace Panopticon.Producer.Tests;

public sealed class RateLimitTests : IDisposable
{
    private readonly ProducerFactory _factory = new(new()
    {
        ["Producer:RateLimit:PermitLimit"] = "3",
        ["Producer:RateLimit:WindowSeconds"] = "120",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Requests_over_the_per_key_limit_get_429_with_retry_after()
    {
        var client = _factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));
            statuses.Add(ok.StatusCode);
        }

        using var limited = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 120);
        Assert.Equal("Too many requests", (await limited.JsonAsync())["title"]!.GetValue<string>());

        // The limit is per key: another key still has its whole window.
        using var other = await client.SendAsync(Wire.Request("/sdk/traces", "[]", key: ProducerFactory.OtherKey));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task The_query_api_is_not_rate_limited()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/api/logs");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
