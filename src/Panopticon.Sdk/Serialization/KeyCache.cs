using System.Runtime.CompilerServices;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// What was worked out about each key (a tag or label name), remembered for up to <c>capacity</c> keys. Not thread-safe.
/// </summary>
/// <remarks>
/// Instrumentation passes the same key instances (string literals) on every record, so a small table matched by
/// reference answers most lookups without hashing and comparing the key's characters; a key seen as another instance
/// with the same text still finds its entry through the dictionary.
/// </remarks>
internal sealed class KeyCache<TValue>(int capacity)
{
    private const int RecentSlots = 128; // a power of two, well above the number of keys a typical record has

    private readonly Dictionary<string, TValue> _byKey = new(StringComparer.Ordinal);
    private readonly Recent[] _recent = new Recent[RecentSlots];

    public bool TryGet(string key, out TValue value)
    {
        ref var recent = ref _recent[RuntimeHelpers.GetHashCode(key) & (RecentSlots - 1)];
        if (ReferenceEquals(recent.Key, key))
        {
            value = recent.Value;
            return true;
        }

        if (_byKey.TryGetValue(key, out value!))
        {
            recent = new Recent(key, value);
            return true;
        }

        return false;
    }

    /// <summary>Remembers <paramref name="value"/> for <paramref name="key"/>, unless the cache is full.</summary>
    public bool TryAdd(string key, TValue value)
    {
        if (_byKey.Count >= capacity)
        {
            return false;
        }

        _byKey[key] = value;
        return true;
    }

    private readonly record struct Recent(string Key, TValue Value);
}
