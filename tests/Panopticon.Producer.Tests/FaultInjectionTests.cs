using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panopticon.Producer.Ingest;

namespace Panopticon.Producer.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Every_nth_ingest_request_fails_with_503_and_stores_nothing()
    {
        using var factory = new ProducerFactory(new() { ["Producer:FaultInjection:FailEveryNth"] = "3" });
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        var traceIds = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var traceId = Wire.NewTraceId();
            traceIds.Add(traceId);
            using var response = await client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId())));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable],
            statuses);
        for (var i = 0; i < 6; i++)
        {
            using var trace = await client.GetAsync($"/api/traces/{traceIds[i]}");
            Assert.Equal(statuses[i] == HttpStatusCode.Accepted ? HttpStatusCode.OK : HttpStatusCode.NotFound, trace.StatusCode);
        }

        Assert.Equal(2, factory.Services.GetRequiredService<FaultInjector>().FailedRequests);
    }

    [Fact]
    public async Task The_switch_can_be_flipped_at_runtime_through_the_singleton()
    {
        using var factory = new ProducerFactory();
        var client = factory.CreateClient();
        var faults = factory.Services.GetRequiredService<FaultInjector>();

        using var before = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));
        faults.FailEveryNth = 1;
        using var during = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));
        faults.FailEveryNth = 0;
        using var after = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));

        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_requests_do_not_count_towards_the_nth()
    {
        using var factory = new ProducerFactory(new() { ["Producer:FaultInjection:FailEveryNth"] = "2" });
        var client = factory.CreateClient();

        using var anonymous = await client.SendAsync(Wire.Request("/sdk/logs", "[]", key: null));
        using var first = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));
        using var second = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
    }

    [Fact]
    public async Task The_admin_endpoint_is_404_unless_enabled()
    {
        using var factory = new ProducerFactory();

        using var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/fault-injection?failEveryNth=1")
        {
            Headers = { { "X-API-Key", ProducerFactory.Key } },
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, factory.Services.GetRequiredService<FaultInjector>().FailEveryNth);
    }

    [Fact]
    public async Task The_admin_endpoint_sets_the_switch_when_enabled_and_needs_a_key()
    {
        using var factory = new ProducerFactory(new() { ["Producer:FaultInjection:AdminEndpoint"] = "true" });
        var client = factory.CreateClient();

        using var anonymous = await client.PostAsync("/admin/fault-injection?failEveryNth=1", null);
        using var set = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/fault-injection?failEveryNth=1")
        {
            Headers = { { "X-API-Key", ProducerFactory.Key } },
        });
        using var invalid = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/fault-injection?failEveryNth=-4")
        {
            Headers = { { "X-API-Key", ProducerFactory.Key } },
        });
        using var failed = await client.SendAsync(Wire.Request("/sdk/logs", "[]"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1, (await set.JsonAsync())["failEveryNth"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
    }
}
