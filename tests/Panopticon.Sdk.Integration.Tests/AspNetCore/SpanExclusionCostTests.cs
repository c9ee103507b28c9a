using System.Diagnostics;
using Panopticon.Sdk.AspNetCore;
using Panopticon.Sdk.Http;

namespace Panopticon.Sdk.Integration.Tests.AspNetCore;

/// <summary>The exclusions run for every ended span on the thread that ends it: they must not allocate.</summary>
public sealed class SpanExclusionCostTests
{
    [Fact]
    public void Deciding_what_Panopticon_sends_allocates_nothing()
    {
        using var source = new ActivitySource("Microsoft.AspNetCore");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var options = new PanopticonOptions { EnableHttpClientTracking = false };
        var server = new ServerSpanExclusion(options);
        var client = new HttpClientSpanExclusion(options);

        using var request = source.StartActivity("Microsoft.AspNetCore.Hosting.HttpRequestIn", ActivityKind.Server)!;
        request.SetTag("url.path", "/health/db");
        using var query = source.StartActivity("db query", ActivityKind.Client)!;
        query.SetTag("db.system", "sqlite");

        Assert.True(server.Excludes(request));
        Assert.True(server.Excludes(query));
        Assert.False(client.Excludes(query));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            server.Excludes(request);
            server.Excludes(query);
            client.Excludes(query);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
