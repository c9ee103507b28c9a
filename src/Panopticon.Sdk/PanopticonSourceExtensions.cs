using Panopticon.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends the spans of the application's own <see cref="System.Diagnostics.ActivitySource"/>s to Panopticon.</summary>
public static class PanopticonSourceExtensions
{
    /// <summary>
    /// Sends the spans of the activity sources named <paramref name="names"/> (wildcards allowed: <c>MyCompany.*</c>),
    /// as <c>Panopticon:Sources</c> in configuration does. Spans from <see cref="PanopticonTrace.StartSpan"/> are always
    /// sent; this is for code that uses its own <c>new ActivitySource("MyWorker")</c>.
    /// </summary>
    public static IPanopticonBuilder AddSource(this IPanopticonBuilder builder, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(names);
        string[] added = [.. names]; // the caller's array may change after this call
        builder.Services.Configure<PanopticonOptions>(options => options.Sources = [.. options.Sources ?? [], .. added]);
        return builder;
    }
}
