using System.Diagnostics;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// Spans that Panopticon's options keep out of what Panopticon sends (an ignored path, a switched-off kind), decided
/// in Panopticon's own span processor so the application's other exporters still get them. Integrations register
/// theirs in DI. Asked for every ended span on the thread that ends it: it must be cheap and allocate nothing.
/// </summary>
internal abstract class SpanExclusion
{
    public abstract bool Excludes(Activity activity);
}
