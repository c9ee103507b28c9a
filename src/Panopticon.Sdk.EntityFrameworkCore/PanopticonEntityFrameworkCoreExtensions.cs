using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Panopticon.Sdk;
using Panopticon.Sdk.EntityFrameworkCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds EF Core database spans to the Panopticon SDK.</summary>
public static class PanopticonEntityFrameworkCoreExtensions
{
    /// <summary>
    /// Creates one span per EF Core database command, for every <c>DbContext</c> of the application, when
    /// <c>EnableDbTracking</c> is on: parented to the span active when the command started, ended when the command
    /// completes (for queries: when the data reader is disposed), with <c>db_system</c>, <c>db_name</c> and, when
    /// <c>CaptureDbStatements</c> is on, the parameterised SQL (parameter values are never captured). Failed and
    /// cancelled commands are <c>ERROR</c>.
    /// </summary>
    public static IPanopticonBuilder AddEntityFrameworkCore(this IPanopticonBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(EntityFrameworkCoreInstrumentation.ActivitySourceName)
            .AddInstrumentation(CreateInstrumentation));
        return builder;
    }

    // Decided when the TracerProvider is built, so flags bound from configuration count.
    private static object CreateInstrumentation(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PanopticonOptions>>().Value;
        if (!options.Enabled || !options.EnableDbTracking)
        {
            return DisabledInstrumentation.Instance;
        }

        return new EntityFrameworkCoreInstrumentation(options.CaptureDbStatements, services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    private sealed class DisabledInstrumentation
    {
        public static readonly DisabledInstrumentation Instance = new();
    }
}
