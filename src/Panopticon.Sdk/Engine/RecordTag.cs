namespace Panopticon.Sdk.Engine;

/// <summary>
/// One key and value as a queued record keeps it (an activity tag, a log message argument): <see cref="int"/>,
/// <see cref="long"/>, <see cref="double"/> and <see cref="bool"/> values are held unboxed, so a waiting record does not
/// keep the boxed value alive (the garbage collector would otherwise promote one small object per number while the
/// record waits for its batch).
/// </summary>
internal readonly struct RecordTag
{
    private readonly object? _reference;
    private readonly long _bits;
    private readonly Kind _kind;

    public RecordTag(string key, object? value)
    {
        Key = key;
        switch (value)
        {
            case int i:
                _kind = Kind.Int32;
                _bits = i;
                break;
            case long l:
                _kind = Kind.Int64;
                _bits = l;
                break;
            case double d:
                _kind = Kind.Double;
                _bits = BitConverter.DoubleToInt64Bits(d);
                break;
            case bool b:
                _kind = Kind.Boolean;
                _bits = b ? 1 : 0;
                break;
            default:
                _reference = value;
                break;
        }
    }

    private enum Kind : byte
    {
        Reference,
        Int32,
        Int64,
        Double,
        Boolean,
    }

    public string Key { get; }

    /// <summary>The value as the activity held it (numbers and booleans are boxed again, on the export thread).</summary>
    public object? Value => _kind switch
    {
        Kind.Int32 => (int)_bits,
        Kind.Int64 => _bits,
        Kind.Double => BitConverter.Int64BitsToDouble(_bits),
        Kind.Boolean => _bits != 0,
        _ => _reference,
    };

    /// <summary>The value when it is a string, without boxing anything.</summary>
    public string? StringValue => _reference as string;

    /// <summary>False only for a <see langword="null"/> value.</summary>
    public bool HasValue => _kind != Kind.Reference || _reference is not null;

    /// <summary>The value as an <see cref="int"/> when it is a whole number in its range, without boxing.</summary>
    public bool TryGetInt32(out int value)
    {
        value = (int)_bits;
        return _kind is Kind.Int32 || (_kind is Kind.Int64 && _bits is >= int.MinValue and <= int.MaxValue);
    }

    /// <summary>The value when it is an <see cref="int"/> or a <see cref="long"/>, without boxing.</summary>
    public bool TryGetInt64(out long value)
    {
        value = _bits;
        return _kind is Kind.Int32 or Kind.Int64;
    }

    /// <summary>The value when it is a <see cref="double"/>, without boxing.</summary>
    public bool TryGetDouble(out double value)
    {
        value = BitConverter.Int64BitsToDouble(_bits);
        return _kind is Kind.Double;
    }

    /// <summary>The value when it is a <see cref="bool"/>, without boxing.</summary>
    public bool TryGetBoolean(out bool value)
    {
        value = _bits != 0;
        return _kind is Kind.Boolean;
    }
}
