using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Panopticon.Sdk.AI;

/// <summary>
/// Adds the GenAI sources and the <see cref="GenAiSpanEnricher"/> to the application's <c>TracerProvider</c>, as its
/// first configuration, so the enricher runs before Panopticon's span processor copies the span: OpenTelemetry calls
/// processors in the order they were added, and <c>AddPanopticon</c>, always called before, adds its own first.
/// </summary>
internal static class GenAiTracerConfiguration
{
    /// <summary>Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c> default source, and Semantic Kernel's sources.</summary>
    public static readonly string[] Sources = ["Experimental.Microsoft.Extensions.AI", "Microsoft.SemanticKernel*"];

    public static void AddFirst(IServiceCollection services)
    {
        services.AddOpenTelemetry(); // a provider exists even if no integration asked for one
        var before = services.Count;
        services.ConfigureOpenTelemetryTracerProvider(Configure);

        // The provider runs its configurations in registration order: move what the call above appended to the front.
        var added = services.Skip(before).ToList();
        for (var i = 0; i < added.Count; i++)
        {
            services.RemoveAt(before);
            services.Insert(i, added[i]);
        }
    }

    private static void Configure(IServiceProvider services, TracerProviderBuilder tracing)
    {
        var options = services.GetRequiredService<IOptions<GenAiTrackingOptions>>().Value;
        if (options.EnableGenAiTracking)
        {
            tracing
                .AddSource(Sources)
                .AddProcessor(new GenAiSpanEnricher(new PriceTable(options.Prices), options.CaptureMessageContent));
        }
    }
}
