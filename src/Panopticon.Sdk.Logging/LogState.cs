using System.Globalization;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Puts a logger's state into a record: for the framework's own message states whose values cannot change, the
/// template and values are copied and the message is formatted later, on the export thread; any other state is
/// formatted and copied now.
/// </summary>
internal static class LogState
{
    private const string OriginalFormat = "{OriginalFormat}"; // the framework's key for the template

    public static void Capture<TState>(LogRecord record, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (DeferrableState<TState>.Copier is { } copier && copier.TryCopyTemplate(record, ref state))
        {
            return;
        }

        record.Message = formatter?.Invoke(state, exception) ?? state?.ToString() ?? string.Empty;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> stateValues)
        {
            // Its {OriginalFormat} entry is copied too; the label writer never writes that key.
            var copy = record.Values;
            var redactNow = ExtendedLoggerState<TState>.HasPooledRedactors;
            for (var i = 0; i < stateValues.Count; i++)
            {
                var pair = stateValues[i];
                if (redactNow && pair.Value is IFormattable redacted && !IsImmutable(redacted))
                {
                    pair = new(pair.Key, redacted.ToString(null, CultureInfo.InvariantCulture));
                }

                copy.Add(pair);
            }
        }
    }

    /// <summary>
    /// Copies the template and the argument values of the framework's message state (its last entry is the
    /// template): the message is formatted from them on the export thread, and the record keeps neither the state
    /// nor the boxed arguments alive while it waits. False, with nothing copied, if a value could still change.
    /// </summary>
    internal static bool TryCopyTemplate<TList>(LogRecord record, ref TList values, bool checkValues)
        where TList : IReadOnlyList<KeyValuePair<string, object?>>
    {
        var last = values.Count - 1;
        if (last < 0 || values[last] is not { Key: OriginalFormat, Value: string template })
        {
            return false;
        }

        var copy = record.TemplateValues;
        for (var i = 0; i < last; i++)
        {
            var (key, value) = values[i];
            if (checkValues && !IsImmutable(value))
            {
                copy.Clear();
                return false;
            }

            copy.Add(new RecordTag(key, value));
        }

        record.Template = template;
        return true;
    }

    private static bool IsImmutable(object? value)
    {
        // The common argument types first: each test is one type-handle comparison, no reflection call.
        if (value is null or string or int or long or bool or double or Guid or DateTime or DateTimeOffset)
        {
            return true;
        }

        return IsImmutableType(value.GetType());
    }

    internal static bool IsImmutableType(Type type) =>
        (Type.GetTypeCode(type) != TypeCode.Object && type != typeof(object))
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);
}

internal enum StateKind
{
    /// <summary>Anything else: formatted and copied at log time.</summary>
    Other,

    /// <summary><c>FormattedLogValues</c> (the <c>LogInformation(...)</c> extensions): template and values copied when the values are immutable.</summary>
    CheckValues,

    /// <summary><c>LoggerMessage.Define</c>'s states whose type arguments are all immutable: template and values always copied.</summary>
    ImmutableValues,
}

/// <summary>
/// Whether <typeparamref name="TState"/> is a state of the extended logger of Microsoft.Extensions.Telemetry
/// (<c>EnableRedaction()</c>, <c>EnableEnrichment()</c>). Its data-classified values are pooled objects that redact
/// when formatted and are reset as soon as the call returns: they are formatted (so redacted) on the caller's thread,
/// since by the time the export thread writes the labels they hold nothing, or another line's value.
/// </summary>
internal static class ExtendedLoggerState<TState>
{
    public static readonly bool HasPooledRedactors = typeof(TState).Assembly.GetName().Name == "Microsoft.Extensions.Telemetry";
}

/// <summary>What kind of state <typeparamref name="TState"/> is, worked out once per type (a type fact, not mutable state).</summary>
internal static class DeferrableState<TState>
{
    public static readonly StateKind Kind = Classify(typeof(TState));

    /// <summary>Copies the template of a deferrable state; null for <see cref="StateKind.Other"/>.</summary>
    public static readonly TemplateCopier<TState>? Copier = Kind == StateKind.Other ? null : TemplateCopier<TState>.Create(Kind == StateKind.CheckValues);

    private static StateKind Classify(Type type)
    {
        // Only the framework's own states (internal types of Microsoft.Extensions.Logging.Abstractions) are known to
        // be immutable and to format their template as MessageTemplates does; a user's state type may be reused or
        // mutated after the call, or format itself differently.
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
