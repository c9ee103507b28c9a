using Microsoft.Extensions.Time.Testing;

namespace Panopticon.Sdk.Tests.Support;

/// <summary>Walks fake time forward for delays that another thread sets at a moment the test cannot know.</summary>
internal static class ClockWalk
{
    /// <summary>Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="condition"/> holds, bounded in real time.</summary>
    public static Task AdvanceUntilAsync(this FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(
            () =>
            {
                time.Advance(step);
                return condition();
            },
            timeout,
            what);
}
