using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Panopticon.Sdk;
using Panopticon.Sdk.Serilog;
using Serilog.Core;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Connects Serilog to the Panopticon SDK.</summary>
public static class PanopticonSerilogExtensions
{
    /// <summary>
    /// Registers the Panopticon sink as a Serilog <see cref="ILogEventSink"/> in the container, where Serilog's
    /// <c>ReadFrom.Services(services)</c> picks it up:
    /// <c>UseSerilog((context, services, configuration) => configuration.ReadFrom.Services(services))</c>.
    /// Calling it more than once registers one sink.
    /// </summary>
    public static IPanopticonBuilder AddSerilog(this IPanopticonBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(PanopticonSink)))
        {
            builder.Services.AddSingleton(sp => new PanopticonSink(sp));
            builder.Services.AddSingleton<ILogEventSink>(sp => sp.GetRequiredService<PanopticonSink>());
        }

        return builder;
    }

    /// <summary>
    /// Connects <paramref name="sink"/>, already written to by a logger built before the host
    /// (<c>WriteTo.Sink(sink)</c>), to this container's client: when the host starts at the latest, or when
    /// Serilog's <c>ReadFrom.Services(services)</c> picks it up (it is registered as an <see cref="ILogEventSink"/> too,
    /// in place of one <see cref="AddSerilog(IPanopticonBuilder)"/> registered). Events it kept meanwhile are sent then.
    /// </summary>
    public static IPanopticonBuilder AddSerilog(this IPanopticonBuilder builder, PanopticonSink sink)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        AddSerilog(builder);
        builder.Services.RemoveAll<PanopticonSink>();
        builder.Services.AddSingleton(sp =>
        {
            sink.Bind(sp);
            return sink;
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SinkBinding>());
        return builder;
    }
}
