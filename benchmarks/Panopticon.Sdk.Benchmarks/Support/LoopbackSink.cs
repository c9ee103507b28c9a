using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// A Kestrel endpoint on 127.0.0.1 (random port) that accepts every POST the way a collector would
/// (202 for Panopticon routes, 200 for OTLP and Sentry) and counts requests and body bytes as they arrived on the wire.
/// </summary>
internal sealed class LoopbackSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LinkBandwidth? _link;
    private long _requests;
    private long _bytes;

    private LoopbackSink(WebApplication app, LinkBandwidth? link)
    {
        _app = app;
        _link = link;
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Starts a sink; with <paramref name="link"/>, bodies arrive no faster than that link carries them.</summary>
    public static async Task<LoopbackSink> StartAsync(LinkBandwidth? link = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var sink = new LoopbackSink(app, link);
        app.Run(sink.ReceiveAsync);
        await app.StartAsync().ConfigureAwait(false);
        sink.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    /// <summary>Waits (spinning briefly) until <paramref name="count"/> requests have arrived; false after <paramref name="timeout"/>.</summary>
    public bool WaitForRequests(long count, TimeSpan timeout) =>
        SpinWait.SpinUntil(() => Requests >= count, timeout);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bytes, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        // Pooled: the sink's own allocations count in the request scenario's bytes per request, and an SDK that sends
        // smaller batches more often would pay for the sink's buffers.
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_link is not null)
        {
            // Answered once the link would have carried the whole body (one wait per request: a timer per chunk
            // oversleeps by up to a millisecond each time, which would cost big bodies more than small ones).
            await _link.CarryAsync(total).ConfigureAwait(false);
        }

        Interlocked.Add(ref _bytes, total);
        Interlocked.Increment(ref _requests);
        // OTLP (/v1/...) and Sentry envelopes (/api/{project}/envelope/) expect 200, Panopticon's routes the Producer's 202.
        context.Response.StatusCode = context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/api") ? 200 : 202;
    }
}
