namespace Panopticon.Sdk.Serialization;

/// <summary>A run of serialized records that travels as one request.</summary>
internal readonly record struct RecordRange(int Start, int Count)
{
    public (RecordRange First, RecordRange Second) Halve()
    {
        var half = Count / 2;
        return (new RecordRange(Start, half), new RecordRange(Start + half, Count - half));
    }
}
