namespace Panopticon.Sdk.Tests.Support;

/// <summary>Bounded polling for conditions reached by another thread; never an unconditional sleep.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for " + (what ?? "a condition"));
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Asserts a condition stays false for a short while (for "nothing more was sent" checks).</summary>
    public static async Task StaysFalseAsync(Func<bool> condition, string what, int milliseconds = 300)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(milliseconds);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(condition(), what);
            await Task.Delay(10);
        }
    }
}
