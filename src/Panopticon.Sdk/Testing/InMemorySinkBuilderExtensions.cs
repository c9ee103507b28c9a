using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Testing;

/// <summary>Routes the SDK's output to an <see cref="InMemoryPanopticonSink"/> instead of the network.</summary>
public static class InMemorySinkBuilderExtensions
{
    /// <summary>Delivers every batch to <paramref name="sink"/>; no HTTP call is made and no API key is needed.</summary>
    public static IPanopticonBuilder UseInMemorySink(this IPanopticonBuilder builder, InMemoryPanopticonSink sink)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        builder.Services.RemoveAll<TransportOverride>();
        builder.Services.AddSingleton(new TransportOverride(sink.CreateTransport()));
        builder.Services.PostConfigure<PanopticonOptions>(options => options.ApiKey = string.IsNullOrWhiteSpace(options.ApiKey) ? "in-memory" : options.ApiKey);
        return builder;
    }
}
