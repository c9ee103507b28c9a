using System.Collections.Concurrent;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Remembers the JSON type of every label key this process has sent, so a key never changes type
/// (the search store maps a key's type from its first value and rejects records that disagree).
/// </summary>
internal sealed class LabelTypeRegistry
{
    private const int MaxKeys = 10_000;
    private readonly ConcurrentDictionary<string, LabelType> _types = new(StringComparer.Ordinal);

    public LabelTypeRegistry(IEnumerable<string> stringKeys)
    {
        foreach (var key in stringKeys)
        {
            _types[key] = LabelType.String;
        }
    }

    /// <summary>Returns the type <paramref name="key"/> must be written with; the first value seen decides.</summary>
    public LabelType Resolve(string key, LabelType wanted)
    {
        if (_types.TryGetValue(key, out var known))
        {
            return known;
        }

        // Beyond the cap new keys are not remembered, so they are written as strings: always a safe type.
        return _types.Count >= MaxKeys ? LabelType.String : _types.GetOrAdd(key, wanted);
    }
}
