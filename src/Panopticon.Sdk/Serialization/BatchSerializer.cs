using System.Text.Encodings.Web;
using System.Text.Json;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Serializes a batch once, record by record, into one pooled buffer laid out as a JSON array; then cuts it into
/// request bodies that stay under <c>MaxBatchBytes</c> (or a smaller size learned from a 413) without serializing or
/// copying again. Not thread-safe: one per export lane.
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
    private (int Open, int Close) _brackets; // where the current payload's '[' and ']' were written over separators

    public BatchSerializer(IRecordSerializer<T> serializer, int maxBatchBytes)
    {
        _serializer = serializer;
        _maxBatchBytes = maxBatchBytes;
        _writer = new Utf8JsonWriter(_records, WriterOptions);
    }

    /// <summary>Records serialized by the last <see cref="Serialize"/>.</summary>
    public int Count => _offsets.Count;

    /// <summary>
    /// Serializes <paramref name="records"/> as <c>[a,b,c]</c>; a record that fails or is too large alone is dropped
    /// and counted.
    /// </summary>
    public void Serialize(IReadOnlyList<T> records, SignalCounters counters)
    {
        Clear();
        _records.Write((byte)'[');
        for (var i = 0; i < records.Count; i++)
        {
            if (!_serializer.Prepare(records[i]))
            {
                counters.OnDropped(DropReason.Filtered);
                continue;
            }

            var mark = _records.WrittenCount;
            if (_offsets.Count > 0)
            {
                _records.Write((byte)',');
            }

            var start = _records.WrittenCount;
            try
            {
                _writer.Reset(_records);
                _serializer.Write(_writer, records[i]);
                _writer.Flush();
            }
            catch (Exception exception)
            {
                _records.Truncate(mark);
                counters.OnDropped(DropReason.Unserializable);
                PanopticonEventSource.Log.RecordUnserializable(exception.GetType().FullName ?? "Exception");
                continue;
            }

            var length = _records.WrittenCount - start;
            if (length + 2 > _maxBatchBytes)
            {
                _records.Truncate(mark);
                counters.OnDropped(DropReason.TooLarge);
                continue;
            }

            _offsets.Add((start, length));
        }

        _records.Write((byte)']');
    }

    /// <summary>Forgets what was serialized.</summary>
    public void Clear()
    {
        _records.Clear();
        _offsets.Clear();
        _brackets = (0, 0);
    }

    /// <summary>
    /// The JSON array of <paramref name="range"/> as a slice of the serialized batch, without a copy: the separators
    /// just outside the range become its '[' and ']'. Valid until the next call or <see cref="Serialize"/>, so the
    /// ranges of a batch are sent one at a time.
    /// </summary>
    public ReadOnlyMemory<byte> Payload(RecordRange range)
    {
        RestoreSeparators();
        var open = _offsets[range.Start].Start - 1;
        var (lastStart, lastLength) = _offsets[range.Start + range.Count - 1];
        var close = lastStart + lastLength;
        _records.Set(open, (byte)'[');
        _records.Set(close, (byte)']');
        _brackets = (open, close);
        return _records.WrittenMemory[open..(close + 1)];
    }

    /// <summary>Splits the serialized records into runs whose JSON array stays within <c>MaxBatchBytes</c>.</summary>
    public List<RecordRange> SplitBySize()
    {
        var ranges = new List<RecordRange>();
        for (var start = 0; start < _offsets.Count;)
        {
            var range = NextRange(start, _offsets.Count, _maxBatchBytes);
            ranges.Add(range);
            start += range.Count;
        }

        return ranges;
    }

    /// <summary>
    /// The longest run of records from <paramref name="start"/> (before <paramref name="end"/>) whose JSON array stays
    /// within <paramref name="maxBytes"/>; at least one record, which always fits <c>MaxBatchBytes</c>.
    /// </summary>
    public RecordRange NextRange(int start, int end, int maxBytes)
    {
        var size = 2 + _offsets[start].Length; // '[' and ']'
        var i = start + 1;
        while (i < end && size + 1 + _offsets[i].Length <= maxBytes)
        {
            size += 1 + _offsets[i].Length;
            i++;
        }

        return new RecordRange(start, i - start);
    }

    // Puts back the ',' that the last payload's brackets replaced (the batch's own '[' and ']' stay as they are).
    private void RestoreSeparators()
    {
        var (open, close) = _brackets;
        if (open > 0)
        {
            _records.Set(open, (byte)',');
        }

        if (close > 0 && close < _records.WrittenCount - 1)
        {
            _records.Set(close, (byte)',');
        }

        _brackets = (0, 0);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _records.Dispose();
    }
}
