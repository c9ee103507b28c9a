using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Puts a logger's state into a record: kept as is (message formatted later, on the export thread) when nothing
/// in it can change after the call, else formatted and copied now, as before.
/// </summary>
internal static class LogState
{
    private const string OriginalFormat = "{OriginalFormat}";

    public static void Capture<TState>(LogRecord record, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var kind = DeferrableState<TState>.Kind;
        if (kind != StateKind.Other && state is IReadOnlyList<KeyValuePair<string, object?>> values
            && (kind == StateKind.ImmutableValues || HoldsOnlyImmutableValues(values)))
        {
            // The framework's message states format themselves with ToString(), exactly as their formatter does.
            record.State = values;
            return;
        }

        record.Message = formatter?.Invoke(state, exception) ?? state?.ToString() ?? string.Empty;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> stateValues)
        {
            var copy = record.Values;
            for (var i = 0; i < stateValues.Count; i++)
            {
                var item = stateValues[i];
                if (item.Key != OriginalFormat)
                {
                    copy.Add(item);
                }
            }
        }
    }

    private static bool HoldsOnlyImmutableValues(IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        // FormattedLogValues puts {OriginalFormat} (a string) last: only the arguments before it need a look.
        for (var i = values.Count - 2; i >= 0; i--)
        {
            if (!IsImmutable(values[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsImmutable(object? value)
    {
        // The common argument types first: each test is one type-handle comparison, no reflection call.
        if (value is null or string or int or long or bool or double or Guid or DateTime or DateTimeOffset)
        {
            return true;
        }

        var type = value.GetType();
        return Type.GetTypeCode(type) != TypeCode.Object // other primitives, enums, decimal
            || type == typeof(TimeSpan);
    }

    internal static bool IsImmutableType(Type type) =>
        (Type.GetTypeCode(type) != TypeCode.Object && type != typeof(object))
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);
}

internal enum StateKind
{
    /// <summary>Anything else: formatted and copied at log time.</summary>
    Other,

    /// <summary><c>FormattedLogValues</c> (the <c>LogInformation(...)</c> extensions): kept when its values are immutable.</summary>
    CheckValues,

    /// <summary><c>LoggerMessage.Define</c>'s states whose type arguments are all immutable: always kept.</summary>
    ImmutableValues,
}

/// <summary>What kind of state <typeparamref name="TState"/> is, worked out once per type (a type fact, not mutable state).</summary>
internal static class DeferrableState<TState>
{
    public static readonly StateKind Kind = Classify(typeof(TState));

    private static StateKind Classify(Type type)
    {
        // Only the framework's own states (internal types of Microsoft.Extensions.Logging.Abstractions) are known to
        // be immutable and to format with ToString(); a user's state type may be reused or mutated after the call.
        if (type.Assembly != typeof(ILogger).Assembly || !typeof(IReadOnlyList<KeyValuePair<string, object?>>).IsAssignableFrom(type))
        {
            return StateKind.Other;
        }

        if (!type.IsGenericType)
        {
            return type.Name == "FormattedLogValues" ? StateKind.CheckValues : StateKind.Other;
        }

        // LoggerMessage.Define's LogValues<T0, ...>: safe when every argument type is.
        return type.GetGenericArguments().All(LogState.IsImmutableType) ? StateKind.ImmutableValues : StateKind.Other;
    }
}
