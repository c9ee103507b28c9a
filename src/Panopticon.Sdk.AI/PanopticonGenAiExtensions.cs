using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Panopticon.Sdk;
using Panopticon.Sdk.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds LLM call tracking (model, tokens, cost) to the Panopticon SDK.</summary>
public static class PanopticonGenAiExtensions
{
    /// <summary>
    /// Sends every model call made through a Microsoft.Extensions.AI chat client wrapped with <c>UsePanopticon()</c>
    /// or <c>UseOpenTelemetry()</c> (and Semantic Kernel's, when its diagnostics are on) as a CLIENT span named like
    /// <c>chat gpt-4o-mini</c>, child of the current span, with labels <c>llm_provider</c>, <c>llm_model</c>,
    /// <c>llm_operation</c>, the token counts and <c>llm_cost_usd</c> when the model has a price; when
    /// <see cref="GenAiTrackingOptions.EnableGenAiTracking"/> is on. Options are read from the <c>Panopticon</c>
    /// configuration section, then <paramref name="configure"/>.
    /// </summary>
    public static IPanopticonBuilder AddGenAiTracking(this IPanopticonBuilder builder, Action<GenAiTrackingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(GenAiTrackingMarker)))
        {
            services.AddSingleton<GenAiTrackingMarker>();
            services.AddOptions<GenAiTrackingOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GenAiTrackingOptions>, GenAiConfiguration>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GenAiTrackingOptions>, GenAiTrackingOptionsValidator>());

            GenAiTracerConfiguration.AddFirst(services);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>Marks that GenAI tracking is registered, so a second call adds nothing twice.</summary>
    private sealed class GenAiTrackingMarker;
}
