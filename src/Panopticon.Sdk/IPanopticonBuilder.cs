using Microsoft.Extensions.DependencyInjection;

namespace Panopticon.Sdk;

/// <summary>Returned by <c>AddPanopticon</c>; integration packages add their tracking through extension methods on it.</summary>
public interface IPanopticonBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

internal sealed class PanopticonBuilder(IServiceCollection services) : IPanopticonBuilder
{
    public IServiceCollection Services { get; } = services;
}
