namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// The tests that host a monitored app inside the test process run one at a time. Activity sources are process-wide:
/// a span one app starts with <c>PanopticonTrace.StartSpan</c> or <c>RunAsync</c> reaches every Panopticon
/// <c>TracerProvider</c> in the process, so another app's client would send it too, and a test counting what its
/// client sent would count it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessHosts
{
    public const string Name = "Monitored apps hosted in the test process";
}
