using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Panopticon.Producer.Tests;

public sealed class LocalOnlyTests
{
    [Fact]
    public async Task The_query_api_refuses_remote_clients_by_default()
    {
        using var factory = RemoteClientFactory(allowRemote: false);

        using var api = await factory.CreateClient().GetAsync("/api/traces");
        using var ingest = await factory.CreateClient().SendAsync(Wire.Request("/sdk/logs", "[]"));

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
    }

    [Fact]
    public async Task The_query_api_answers_remote_clients_when_allowed()
    {
        using var factory = RemoteClientFactory(allowRemote: true);

        using var api = await factory.CreateClient().GetAsync("/api/traces");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    private static ProducerFactory RemoteClientFactory(bool allowRemote) => new(
        new() { ["Producer:AllowRemoteQueries"] = allowRemote ? "true" : "false" },
        configureServices: services => services.AddSingleton<IStartupFilter, RemoteAddressFilter>());

    /// <summary>Makes every request look as if it came from another machine.</summary>
    private sealed class RemoteAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
