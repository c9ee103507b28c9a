using System.Text.Encodings.Web;
using System.Text.Json;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Serializes records one by one, as they are read, into one pooled buffer laid out as a JSON array, and seals it
/// into an immutable <see cref="SerializedBatch"/>. Runs the application's hooks first (a filtered record is counted
/// and skipped); a record that fails, or is larger than <c>MaxBatchBytes</c> alone, is dropped and counted. Not
/// thread-safe: the batch loop of one signal owns it.
/// </summary>
internal sealed class BatchSerializer<T> : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body is read by the Producer, never embedded in HTML, so only JSON's own escaping is needed.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly TelemetrySignal _signal;
    private readonly IRecordSerializer<T> _serializer;
    private readonly int _maxBatchBytes;
    private readonly SignalCounters _counters;
    private const int InitialCapacity = 64 * 1024;
    private readonly PooledByteBuffer _json = new(InitialCapacity);
    private readonly List<int> _ends = []; // where each record of the open batch ends in _json
    private readonly Utf8JsonWriter _writer;
    private int _carried = -1; // the start of a record that did not fit the open batch: it opens the next one

    public BatchSerializer(TelemetrySignal signal, IRecordSerializer<T> serializer, int maxBatchBytes, SignalCounters counters)
    {
        _signal = signal;
        _serializer = serializer;
        _maxBatchBytes = maxBatchBytes;
        _counters = counters;
        _writer = new Utf8JsonWriter(_json, WriterOptions);
        _json.Write((byte)'[');
    }

    /// <summary>Records in the open batch.</summary>
    public int Count => _ends.Count;

    /// <summary>Whether the last record did not fit: seal the batch before adding another.</summary>
    public bool IsFull => _carried >= 0;

    /// <summary>
    /// Serializes <paramref name="record"/> into the open batch. When it would take the batch's JSON array over
    /// <paramref name="maxBytes"/>, it is kept for the next batch and <see cref="IsFull"/> becomes true.
    /// </summary>
    public void Add(T record, int maxBytes = int.MaxValue)
    {
        if (!_serializer.Prepare(record))
        {
            _counters.OnDropped(DropReason.Filtered);
            return;
        }

        var mark = _json.WrittenCount;
        if (_ends.Count > 0)
        {
            _json.Write((byte)',');
        }

        var start = _json.WrittenCount;
        try
        {
            _writer.Reset(_json);
            _serializer.Write(_writer, record);
            _writer.Flush();
        }
        catch (Exception exception)
        {
            _json.Truncate(mark);
            _counters.OnDropped(DropReason.Unserializable);
            PanopticonEventSource.Log.RecordUnserializable(exception.GetType().FullName ?? "Exception");
            return;
        }

        if (_json.WrittenCount - start + 2 > _maxBatchBytes)
        {
            _json.Truncate(mark);
            _counters.OnDropped(DropReason.TooLarge);
            return;
        }

        if (_ends.Count > 0 && _json.WrittenCount + 1 > maxBytes)
        {
            _carried = start;
            return;
        }

        _ends.Add(_json.WrittenCount);
    }

    /// <summary>Serializes <paramref name="records"/> into the open batch and seals it.</summary>
    public SerializedBatch? Serialize(IEnumerable<T> records, DateTimeOffset createdAt)
    {
        foreach (var record in records)
        {
            Add(record);
        }

        return Seal(createdAt);
    }

    /// <summary>
    /// The open batch as an immutable <see cref="SerializedBatch"/> with a new id (<see langword="null"/> when it has no
    /// record). Its JSON lives in an array rented from the shared pool, which its owner may return once the batch is
    /// done with. A record that did not fit opens the next batch.
    /// </summary>
    /// <remarks>
    /// The batch takes the serializer's own buffer, closed in place, and the serializer goes on in a new one as large as
    /// this batch needed: copying the whole body cost as much as a tenth of serializing it.
    /// </remarks>
    public SerializedBatch? Seal(DateTimeOffset createdAt)
    {
        if (_ends.Count == 0)
        {
            Reset();
            return null;
        }

        var length = _ends[^1] + 1;
        var carried = _carried;
        if (carried < 0)
        {
            _json.Write((byte)']');
        }
        else
        {
            _json.Set(length - 1, (byte)']'); // the ',' before the record that did not fit
        }

        var written = _json.WrittenCount;
        var json = _json.Detach(Math.Max(written, InitialCapacity));
        var batch = new SerializedBatch(Guid.NewGuid(), _signal, createdAt, json.AsMemory(0, length), [.. _ends]);
        Reset();
        if (carried >= 0)
        {
            _json.Write(json.AsSpan(carried, written - carried));
            _ends.Add(_json.WrittenCount);
        }

        return batch;
    }

    /// <summary>Forgets the open batch (and a carried record); returns how many records it held.</summary>
    public int Discard()
    {
        var count = _ends.Count + (_carried >= 0 ? 1 : 0);
        Reset();
        return count;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _json.Dispose();
    }

    private void Reset()
    {
        _json.Clear();
        _json.Write((byte)'[');
        _ends.Clear();
        _carried = -1;
    }
}
