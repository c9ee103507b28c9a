using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk;

/// <summary>The labels hooks set on one record, kept aside until every hook has returned.</summary>
internal sealed class StagedLabels
{
    private readonly List<KeyValuePair<string, object?>> _changes = [];

    public List<KeyValuePair<string, object?>> Changes => _changes;

    public void Set(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _changes.Add(new(key, value)); // applied in order: the last value set for a key wins
    }

    public bool TryGet(string key, out object? value)
    {
        for (var i = _changes.Count - 1; i >= 0; i--)
        {
            if (_changes[i].Key == key)
            {
                value = _changes[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public void Clear() => _changes.Clear();

    public static void Replace(List<RecordTag> tags, string key, object? value)
    {
        if (!TryReplace(tags, key, value))
        {
            tags.Add(new RecordTag(key, value));
        }
    }

    public static bool TryReplace(List<RecordTag> tags, string key, object? value)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == key)
            {
                tags[i] = new RecordTag(key, value);
                return true;
            }
        }

        return false;
    }

    public static void Replace(List<KeyValuePair<string, object?>> values, string key, object? value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Key == key)
            {
                values[i] = new(key, value);
                return;
            }
        }

        values.Add(new(key, value));
    }
}
