using System.Diagnostics;
using System.Globalization;

namespace Panopticon.Sdk.Sampling;

/// <summary>
/// Decides once per local trace, when its local root span starts, whether Panopticon sends it as it ends: a caller's
/// <c>traceparent</c> decides by its sampled flag; otherwise a draw at <see cref="PanopticonOptions.TracesSampleRatio"/>,
/// then <see cref="PanopticonOptions.MaxTracesPerSecond"/>. Runs on the thread that starts the span.
/// </summary>
internal sealed class TraceSampler
{
    private readonly double _ratio;
    private readonly Func<double> _next;
    private readonly TraceRateLimiter? _limiter;

    /// <param name="options">The ratio and the rate limit.</param>
    /// <param name="time">The rate limit's clock.</param>
    /// <param name="random">Uniform draws in [0, 1); tests pass a seeded source. Must be thread-safe.</param>
    public TraceSampler(PanopticonOptions options, TimeProvider time, Func<double>? random = null)
    {
        _ratio = options.TracesSampleRatio;
        _next = random ?? Random.Shared.NextDouble;
        _limiter = options.MaxTracesPerSecond is { } rate ? new TraceRateLimiter(rate, time) : null;
        IsActive = _ratio < 1 || _limiter is not null;
    }

    /// <summary>Whether the ratio or the rate limit leaves traces out; otherwise only a caller's sampled=0 does.</summary>
    public bool IsActive { get; }

    /// <summary>The ratio traces without a caller are sampled at (the <c>sample_rate</c> label of their root spans).</summary>
    public double Ratio => _ratio;

    /// <summary>Whether the trace of <paramref name="localRoot"/> is sent as it ends, and why.</summary>
    public SamplingDecision Decide(Activity localRoot)
    {
        if (CallerSampled(localRoot) is { } sampled)
        {
            return sampled ? SamplingDecision.SampledByCaller : SamplingDecision.NotSampled;
        }

        if (!(_next() < _ratio) || _limiter?.TryAcquire() == false)
        {
            return SamplingDecision.NotSampled;
        }

        return SamplingDecision.SampledByRatio;
    }

    /// <summary>
    /// The sampled flag of the <c>traceparent</c> that <paramref name="localRoot"/> continues, or <see langword="null"/>
    /// when it has no remote parent. <see cref="Activity.ParentId"/> is the only public view of the parent's flags (it
    /// is built once per span, then cached).
    /// </summary>
    public static bool? CallerSampled(Activity localRoot)
    {
        if (localRoot.ParentSpanId == default || localRoot.ParentId is not { Length: > 2 } parentId)
        {
            return null;
        }

        return byte.TryParse(parentId.AsSpan(parentId.Length - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var flags)
            ? (flags & (byte)ActivityTraceFlags.Recorded) != 0
            : null;
    }
}

/// <summary>What <see cref="TraceSampler"/> decided for one local trace.</summary>
internal enum SamplingDecision
{
    /// <summary>Held until its local root ends, then sent only if something in it failed.</summary>
    NotSampled,

    /// <summary>Sent as it ends: drawn at <see cref="PanopticonOptions.TracesSampleRatio"/>.</summary>
    SampledByRatio,

    /// <summary>Sent as it ends: its caller's <c>traceparent</c> says sampled.</summary>
    SampledByCaller,
}
