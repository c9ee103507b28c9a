using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// The scopes begun on Panopticon's loggers, per async flow. The provider keeps this stack instead of reading the
/// logging framework's shared one: each read of that one makes the framework build an activity scope (the trace,
/// span and parent ids a record carries anyway) and a custom-property dictionary on the current activity, about
/// 350 B and several microseconds for every request that logs.
/// </summary>
internal sealed class LogScopes
{
    // Walks deeper than this are cut short: a runaway recursion that keeps beginning scopes must not overflow the stack.
    private const int MaxDepth = 64;

    private readonly AsyncLocal<Scope?> _current = new();

    // Until the first scope is begun, a log call skips the async-local read (an execution-context lookup). The
    // per-request scopes ASP.NET Core and Kestrel open are never pushed (PerRequestScope), so an application that
    // begins no scopes of its own never pays it.
    private volatile bool _used;

    public IDisposable Push(object? state)
    {
        _used = true;
        var scope = new Scope(this, state, _current.Value);
        _current.Value = scope;
        return scope;
    }

    /// <summary>Copies the values of the active scopes into the record's values, outermost first.</summary>
    public void CopyTo(LogRecord record)
    {
        if (_used && _current.Value is { } innermost)
        {
            CopyFrom(innermost, record.Values, 0);
        }
    }

    private static void CopyFrom(Scope scope, List<KeyValuePair<string, object?>> values, int depth)
    {
        if (scope.Parent is { } parent && depth < MaxDepth)
        {
            CopyFrom(parent, values, depth + 1);
        }

        LogAttributes.AddScope(scope.State, values);
    }

    private sealed class Scope(LogScopes owner, object? state, Scope? parent) : IDisposable
    {
        private bool _disposed;

        public object? State => state;

        public Scope? Parent => parent;

        public void Dispose()
        {
            // As the framework's scopes do: ending a scope makes its parent current, once.
            if (!_disposed)
            {
                _disposed = true;
                owner._current.Value = parent;
            }
        }
    }
}
