namespace Panopticon.Sdk.AspNetCore;

/// <summary>Time windows of the Panopticon health check (<c>AddHealthChecks().AddPanopticon()</c>).</summary>
public sealed class PanopticonHealthCheckOptions
{
    /// <summary>How long dropped records or a failed batch keep the check Degraded. Default 5 minutes.</summary>
    public TimeSpan DegradedWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long records may wait without the Producer accepting any batch before the check is Unhealthy.
    /// Default 5 minutes.
    /// </summary>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(5);
}
