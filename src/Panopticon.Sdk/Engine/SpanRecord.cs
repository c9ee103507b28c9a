using System.Diagnostics;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// What the protocol needs of one ended <see cref="Activity"/>, copied on the thread that ended it. Records are pooled
/// and reused, so the activity itself dies young: a queue of waiting spans holds these long-lived records and the tag
/// values, not thousands of activity graphs the garbage collector would have to promote.
/// </summary>
internal sealed class SpanRecord : IPooledRecord
{
    private const int TraceIdLength = 32;
    private const int SpanIdLength = 16;

    // The ids' hex characters are copied, not the activity's id strings: a record holding them would keep two young
    // strings per span alive while it waits for its batch.
    private readonly char[] _ids = new char[TraceIdLength + (2 * SpanIdLength)];

    public DateTime StartTimeUtc { get; private set; }

    public TimeSpan Duration { get; private set; }

    /// <summary>The trace id as 32 lowercase hex characters.</summary>
    public ReadOnlySpan<char> TraceId => _ids.AsSpan(0, TraceIdLength);

    /// <summary>The span id as 16 lowercase hex characters.</summary>
    public ReadOnlySpan<char> SpanId => _ids.AsSpan(TraceIdLength, SpanIdLength);

    /// <summary>The parent span id as 16 lowercase hex characters; empty for a root span.</summary>
    public ReadOnlySpan<char> ParentSpanId => HasParent ? _ids.AsSpan(TraceIdLength + SpanIdLength, SpanIdLength) : default;

    public bool HasParent { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public ActivityKind Kind { get; private set; }

    public ActivityStatusCode Status { get; private set; }

    public string? StatusDescription { get; private set; }

    /// <summary>The activity's tags, in order.</summary>
    public List<RecordTag> Tags { get; } = new(8);

    /// <summary><c>exception.type</c> of the activity's first <c>exception</c> event that has one.</summary>
    public string? ExceptionType { get; private set; }

    /// <summary><c>exception.message</c> of the activity's first <c>exception</c> event that has one.</summary>
    public string? ExceptionMessage { get; private set; }

    /// <summary><c>exception.stacktrace</c> of the activity's first <c>exception</c> event that has one.</summary>
    public string? ExceptionStackTrace { get; private set; }

    /// <summary>Always: span records exist only to be reused (the activity is what the application owns).</summary>
    public bool IsPooled => true;

    /// <summary>Gives the span the name a hook chose.</summary>
    public void Rename(string name) => Name = name;

    public void CopyFrom(Activity activity)
    {
        StartTimeUtc = activity.StartTimeUtc;
        Duration = activity.Duration;
        activity.TraceId.ToHexString().CopyTo(_ids);
        activity.SpanId.ToHexString().CopyTo(0, _ids, TraceIdLength, SpanIdLength);

        // ParentSpanId and DisplayName compute their values (a parent's id, a fallback name): each is read once.
        var parentSpanId = activity.ParentSpanId;
        HasParent = parentSpanId != default;
        if (HasParent)
        {
            parentSpanId.ToHexString().CopyTo(0, _ids, TraceIdLength + SpanIdLength, SpanIdLength);
        }

        var displayName = activity.DisplayName;
        Name = string.IsNullOrEmpty(displayName) ? activity.OperationName : displayName;
        Kind = activity.Kind;
        Status = activity.Status;
        StatusDescription = activity.StatusDescription;

        // The Enumerate* methods walk the activity's lists with struct enumerators: nothing is allocated.
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            Tags.Add(new RecordTag(tag.Key, tag.Value));
        }

        foreach (ref readonly var activityEvent in activity.EnumerateEvents())
        {
            if (activityEvent.Name == "exception")
            {
                CopyException(activityEvent);
            }
        }
    }

    public void Reset()
    {
        Name = string.Empty;
        StatusDescription = null;
        ExceptionType = null;
        ExceptionMessage = null;
        ExceptionStackTrace = null;
        Tags.Clear();
    }

    private void CopyException(in ActivityEvent exception)
    {
        foreach (ref readonly var tag in exception.EnumerateTagObjects())
        {
            if (tag.Key == "exception.type")
            {
                ExceptionType ??= tag.Value as string;
            }
            else if (tag.Key == "exception.message")
            {
                ExceptionMessage ??= tag.Value as string;
            }
            else if (tag.Key == "exception.stacktrace")
            {
                ExceptionStackTrace ??= tag.Value as string;
            }
        }
    }
}
