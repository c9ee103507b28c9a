using System.Net;

namespace Panopticon.Producer.Tests;

public sealed class AuthTests(ProducerFactory factory) : IClassFixture<ProducerFactory>
{
    [Theory]
    [InlineData("/sdk/logs")]
    [InlineData("/sdk/traces")]
    [InlineData("/ingest/logs")]
    public async Task Ingest_without_a_key_is_401(string path)
    {
        using var response = await factory.CreateClient().SendAsync(Wire.Request(path, "[]", key: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-API-Key", (await response.JsonAsync())["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("test-key-")]
    [InlineData("test-key-1 ")]
    [InlineData("TEST-KEY-1")]
    public async Task Ingest_with_a_wrong_key_is_401(string key)
    {
        using var response = await factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", "[]", key: key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Two_key_headers_are_401()
    {
        var request = Wire.Request("/sdk/logs", "[]");
        request.Headers.Add("X-API-Key", ProducerFactory.OtherKey);

        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(ProducerFactory.Key)]
    [InlineData(ProducerFactory.OtherKey)]
    public async Task Every_configured_key_is_accepted(string key)
    {
        using var response = await factory.CreateClient().PostAsync("/sdk/logs", Wire.Array(Wire.Log()), key);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_rejected_request_stores_nothing()
    {
        var traceId = Wire.NewTraceId();
        using var response = await factory.CreateClient().PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId())), key: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var trace = await factory.CreateClient().GetAsync($"/api/traces/{traceId}");
        Assert.Equal(HttpStatusCode.NotFound, trace.StatusCode);
    }

    [Fact]
    public async Task Health_and_query_api_need_no_key()
    {
        var client = factory.CreateClient();

        using var health = await client.GetAsync("/health");
        using var traces = await client.GetAsync("/api/traces");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, traces.StatusCode);
    }
}
