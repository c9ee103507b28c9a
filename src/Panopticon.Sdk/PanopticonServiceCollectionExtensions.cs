using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Panopticon.Sdk;
using Panopticon.Sdk.Configuration;
using Panopticon.Sdk.Hosting;
using Panopticon.Sdk.Sampling;
using Panopticon.Sdk.Tracing;
using Panopticon.Sdk.Transport;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Panopticon SDK core.</summary>
public static class PanopticonServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Panopticon client, its lifecycle (flush on host stop and on dispose) and a span processor on the
    /// application's OpenTelemetry <c>TracerProvider</c>. Chain integrations on the returned builder.
    /// Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    public static IPanopticonBuilder AddPanopticon(this IServiceCollection services, Action<PanopticonOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PanopticonOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Adds the Panopticon SDK bound to <paramref name="configuration"/>: either the <c>Panopticon</c> section
    /// itself or a configuration root that contains it.
    /// </summary>
    public static IPanopticonBuilder AddPanopticon(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(PanopticonOptions.SectionName);
        services.AddOptions<PanopticonOptions>().Bind(section.Exists() ? section : configuration);
        return AddCore(services);
    }

    private static PanopticonBuilder AddCore(IServiceCollection services)
    {
        var builder = new PanopticonBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(PanopticonMarker)))
        {
            return builder;
        }

        services.AddSingleton<PanopticonMarker>();
        services.AddOptions<PanopticonOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PanopticonOptions>, PanopticonOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<PanopticonOptions>, EnvironmentVariableDefaults>());
        services.TryAddSingleton(sp => new PanopticonClient(
            sp.GetRequiredService<IOptions<PanopticonOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<TransportOverride>()?.Transport,
            () => sp.GetService<ILoggerFactory>(),
            sp.GetService<SamplingRandom>()?.Next));
        services.TryAddSingleton<IPanopticonClient>(sp => sp.GetRequiredService<PanopticonClient>());
        services.TryAddSingleton<LogSources>();
        services.AddHostedService<PanopticonLifecycleService>();

        // Joins the application's own TracerProvider if it configures one: one provider, no duplicate spans.
        // The sources are added when the provider is built, so Panopticon:Sources from configuration counts.
        services.AddOpenTelemetry().WithTracing(tracing =>
            tracing.AddProcessor(sp => new PanopticonSpanProcessor(sp.GetRequiredService<PanopticonClient>(), [.. sp.GetServices<SpanExclusion>()])));
        services.ConfigureOpenTelemetryTracerProvider((sp, tracing) =>
            TracedSources.AddTo(tracing, sp.GetRequiredService<IOptions<PanopticonOptions>>().Value));
        return builder;
    }

    /// <summary>Marks that the core is registered, so a second call adds nothing twice.</summary>
    private sealed class PanopticonMarker;
}
