using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Copies the template and values of one of the framework's message states. Those states are structs: read through
/// their interface they would be boxed on every call (48 B), so they are read through a constrained generic instead.
/// </summary>
internal abstract class TemplateCopier<TState>(bool checkValues)
{
    protected bool CheckValues { get; } = checkValues;

    /// <summary>False, with nothing copied, if the state has no template or a value could still change.</summary>
    public abstract bool TryCopyTemplate(LogRecord record, ref TState state);

    [UnconditionalSuppressMessage("AotAnalysis", "IL3050", Justification = "Only when dynamic code is supported; boxing otherwise.")]
    public static TemplateCopier<TState> Create(bool checkValues)
    {
        if (RuntimeFeature.IsDynamicCodeSupported && typeof(TState).IsValueType)
        {
            try
            {
                // TState is known to implement the interface (see DeferrableState); the instantiation just can't be
                // written down, since the framework's state types are internal.
                var type = typeof(UnboxedTemplateCopier<>).MakeGenericType(typeof(TState));
                return (TemplateCopier<TState>)Activator.CreateInstance(type, args: [checkValues])!;
            }
            catch (Exception)
            {
                // Not expected; boxing is only slower.
            }
        }

        return new BoxingTemplateCopier(checkValues);
    }

    /// <summary>Reads the state through its interface, boxing a struct: where dynamic code is unavailable (Native AOT).</summary>
    internal sealed class BoxingTemplateCopier(bool checkValues) : TemplateCopier<TState>(checkValues)
    {
        public override bool TryCopyTemplate(LogRecord record, ref TState state) =>
            state is IReadOnlyList<KeyValuePair<string, object?>> values && LogState.TryCopyTemplate(record, ref values, CheckValues);
    }
}

/// <summary>Reads the state with constrained calls: <c>Count</c> and the indexer run on the struct itself.</summary>
internal sealed class UnboxedTemplateCopier<TState>(bool checkValues) : TemplateCopier<TState>(checkValues)
    where TState : IReadOnlyList<KeyValuePair<string, object?>>
{
    public override bool TryCopyTemplate(LogRecord record, ref TState state) => LogState.TryCopyTemplate(record, ref state, CheckValues);
}
