using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Sampling;

namespace Panopticon.Sdk.Tests;

public sealed class TraceSamplerTests
{
    [Fact]
    public void MaxTracesPerSecond_caps_the_traces_the_ratio_samples_and_refills_with_time()
    {
        var time = new FakeTimeProvider();
        var sampler = new TraceSampler(new PanopticonOptions { TracesSampleRatio = 1, MaxTracesPerSecond = 5 }, time);

        Assert.True(sampler.IsActive);
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => sampler.Decide(LocalRoot()) == SamplingDecision.SampledByRatio));
        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(2, Enumerable.Range(0, 20).Count(_ => sampler.Decide(LocalRoot()) == SamplingDecision.SampledByRatio));
        time.Advance(TimeSpan.FromMinutes(1)); // a quiet spell saves up one second's worth, no more
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => sampler.Decide(LocalRoot()) == SamplingDecision.SampledByRatio));
    }

    [Fact]
    public void A_callers_sampled_flag_decides_over_the_ratio_and_the_rate_limit()
    {
        var sampler = new TraceSampler(new PanopticonOptions { TracesSampleRatio = 0, MaxTracesPerSecond = 1 }, new FakeTimeProvider());

        Assert.Equal(SamplingDecision.SampledByCaller, sampler.Decide(LocalRoot(ActivityTraceFlags.Recorded)));
        Assert.Equal(SamplingDecision.SampledByCaller, sampler.Decide(LocalRoot(ActivityTraceFlags.Recorded)));
        Assert.Equal(SamplingDecision.NotSampled, sampler.Decide(LocalRoot(ActivityTraceFlags.None)));
        Assert.Equal(SamplingDecision.NotSampled, sampler.Decide(LocalRoot()));
    }

    [Fact]
    public void The_ratio_is_drawn_from_the_random_source()
    {
        var draws = new Queue<double>([0.05, 0.5, 0.099, 0.1]);
        var sampler = new TraceSampler(new PanopticonOptions { TracesSampleRatio = 0.1 }, TimeProvider.System, draws.Dequeue);

        Assert.Equal(
            [SamplingDecision.SampledByRatio, SamplingDecision.NotSampled, SamplingDecision.SampledByRatio, SamplingDecision.NotSampled],
            Enumerable.Range(0, 4).Select(_ => sampler.Decide(LocalRoot())));
        Assert.False(new TraceSampler(new PanopticonOptions(), TimeProvider.System).IsActive);
    }

    /// <summary>A local root span: no parent, or a remote one (a caller's traceparent) with <paramref name="callerFlags"/>.</summary>
    private static Activity LocalRoot(ActivityTraceFlags? callerFlags = null)
    {
        var activity = new Activity("request");
        if (callerFlags is { } flags)
        {
            activity.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), flags);
        }
        else
        {
            activity.SetIdFormat(ActivityIdFormat.W3C);
        }

        var previous = Activity.Current;
        Activity.Current = null; // not a child of the test's other spans
        activity.Start();
        Activity.Current = previous;
        return activity;
    }
}
