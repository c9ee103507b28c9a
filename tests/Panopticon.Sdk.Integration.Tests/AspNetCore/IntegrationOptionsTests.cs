using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;

namespace Panopticon.Sdk.Integration.Tests.AspNetCore;

/// <summary>Integrations configure themselves from <c>PanopticonOptions</c>; only what writes records needs the client.</summary>
public sealed class IntegrationOptionsTests
{
    [Fact]
    public void The_pipeline_and_the_instrumentation_options_are_configured_without_creating_the_client()
    {
        var clientsCreated = 0;
        var services = new ServiceCollection();
        // Registered first, so AddPanopticon keeps it: it counts every time the container creates the client.
        services.AddSingleton(_ =>
        {
            Interlocked.Increment(ref clientsCreated);
            return PanopticonClient.Create(o => o.Enabled = false);
        });
        services.AddPanopticon(o =>
            {
                o.ApiKey = "test-key-123";
                o.Endpoint = "http://127.0.0.1:9";
                o.ServiceName = "order-service";
                o.TraceIdResponseHeader = "X-Trace-Id";
            })
            .AddAspNetCore()
            .AddHttpClientTracking();
        using var provider = services.BuildServiceProvider();

        var app = new ApplicationBuilder(provider);
        foreach (var filter in provider.GetServices<IStartupFilter>())
        {
            filter.Configure(_ => { })(app);
        }

        app.Build();
        var server = provider.GetRequiredService<IOptionsMonitor<AspNetCoreTraceInstrumentationOptions>>().Get(Options.DefaultName);
        var client = provider.GetRequiredService<IOptionsMonitor<HttpClientTraceInstrumentationOptions>>().Get(Options.DefaultName);

        Assert.True(server.RecordException, "the ASP.NET Core instrumentation was configured from the options");
        Assert.True(client.RecordException, "the HttpClient instrumentation was configured from the options");
        Assert.Equal(0, clientsCreated);
    }
}
