namespace Panopticon.Sdk.Sampling;

/// <summary>Replaces the sampler's random draws when registered in DI (tests: a seeded source, so counts repeat).</summary>
internal sealed class SamplingRandom(Func<double> next)
{
    /// <summary>Uniform draws in [0, 1); must be thread-safe.</summary>
    public Func<double> Next { get; } = next;
}
