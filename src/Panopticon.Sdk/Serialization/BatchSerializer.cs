using System.Text.Encodings.Web;
using System.Text.Json;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Serializes a batch once, record by record, into one pooled buffer; then cuts it into request bodies
/// that stay under <c>MaxBatchBytes</c> (and halves of them after a 413) without serializing again.
/// Not thread-safe: one per signal.
/// </summary>
internal sealed class BatchSerializer<T> : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body is read by the Producer, never embedded in HTML, so only JSON's own escaping is needed.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly IRecordSerializer<T> _serializer;
    private readonly int _maxBatchBytes;
    private readonly PooledByteBuffer _records = new(64 * 1024);
    private readonly List<(int Start, int Length)> _offsets = [];
    private readonly Utf8JsonWriter _writer;

    public BatchSerializer(IRecordSerializer<T> serializer, int maxBatchBytes)
    {
        _serializer = serializer;
        _maxBatchBytes = maxBatchBytes;
        _writer = new Utf8JsonWriter(_records, WriterOptions);
    }

    /// <summary>Records serialized by the last <see cref="Serialize"/>.</summary>
    public int Count => _offsets.Count;

    /// <summary>Serializes <paramref name="records"/>; a record that fails or is too large alone is dropped and counted.</summary>
    public void Serialize(IReadOnlyList<T> records, SignalCounters counters)
    {
        Clear();
        for (var i = 0; i < records.Count; i++)
        {
            var start = _records.WrittenCount;
            try
            {
                _writer.Reset(_records);
                _serializer.Write(_writer, records[i]);
                _writer.Flush();
            }
            catch (Exception exception)
            {
                _records.Truncate(start);
                counters.OnDropped(DropReason.Unserializable);
                PanopticonEventSource.Log.RecordUnserializable(exception.GetType().FullName ?? "Exception");
                continue;
            }

            var length = _records.WrittenCount - start;
            if (length + 2 > _maxBatchBytes)
            {
                _records.Truncate(start);
                counters.OnDropped(DropReason.TooLarge);
                continue;
            }

            _offsets.Add((start, length));
        }
    }

    /// <summary>Forgets what was serialized.</summary>
    public void Clear()
    {
        _records.Clear();
        _offsets.Clear();
    }

    /// <summary>Splits the serialized records into runs whose JSON array stays within <c>MaxBatchBytes</c>.</summary>
    public List<RecordRange> SplitBySize()
    {
        var ranges = new List<RecordRange>();
        var start = 0;
        var size = 2; // '[' and ']'
        for (var i = 0; i < _offsets.Count; i++)
        {
            var added = _offsets[i].Length + (i > start ? 1 : 0);
            if (i > start && size + added > _maxBatchBytes)
            {
                ranges.Add(new RecordRange(start, i - start));
                start = i;
                size = 2;
                added = _offsets[i].Length;
            }

            size += added;
        }

        if (_offsets.Count > start)
        {
            ranges.Add(new RecordRange(start, _offsets.Count - start));
        }

        return ranges;
    }

    /// <summary>Writes the JSON array of <paramref name="range"/> into <paramref name="payload"/>.</summary>
    public void WritePayload(RecordRange range, PooledByteBuffer payload)
    {
        payload.Clear();
        payload.Write((byte)'[');
        for (var i = range.Start; i < range.Start + range.Count; i++)
        {
            if (i > range.Start)
            {
                payload.Write((byte)',');
            }

            var (start, length) = _offsets[i];
            payload.Write(_records.Slice(start, length));
        }

        payload.Write((byte)']');
    }

    public void Dispose()
    {
        _writer.Dispose();
        _records.Dispose();
    }
}
