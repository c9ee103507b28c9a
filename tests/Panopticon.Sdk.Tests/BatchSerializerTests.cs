using System.Text.Json;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Storage;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

/// <summary>Request bodies are cut from the serialized batch: every split and half must still be its own JSON array.</summary>
public sealed class BatchSerializerTests
{
    [Fact]
    public void Splits_and_halves_are_each_the_json_array_of_exactly_their_records_around_dropped_ones()
    {
        var counters = new SignalCounters();
        using var serializer = NewSerializer(counters);
        string[] records = ["bad", "r0", "r1", "big", "r2", "bad", "r3", "r4", "r5", "r6", "bad"];

        var batch = serializer.Serialize(records, Records.Noon)!;

        Assert.Equal(7, batch.RecordCount);
        Assert.Equal(3, counters.DroppedFor(DropReason.Unserializable));
        Assert.Equal(1, counters.DroppedFor(DropReason.TooLarge));
        var whole = new RecordRange(0, batch.RecordCount);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4", "r5", "r6"], NamesOf(BatchRanges.Json(batch, whole)));
        Assert.Equal(batch.Id, BatchRanges.Id(batch, whole));

        // A 413 halves a range, and each half again; the halves are sent one after another.
        var (first, second) = whole.Halve();
        var (secondA, secondB) = second.Halve();
        Assert.Equal(["r0", "r1", "r2"], NamesOf(BatchRanges.Json(batch, first)));
        Assert.Equal(["r3", "r4"], NamesOf(BatchRanges.Json(batch, secondA)));
        Assert.Equal(["r5", "r6"], NamesOf(BatchRanges.Json(batch, secondB)));
        Assert.Equal(["r4"], NamesOf(BatchRanges.Json(batch, new RecordRange(4, 1))));

        // The batch itself is never changed by cutting it.
        Assert.Equal(["r0", "r1", "r2", "r3", "r4", "r5", "r6"], NamesOf(batch.Json));
    }

    [Fact]
    public void Each_range_has_its_own_id_derived_from_the_batch_so_a_resent_batch_keeps_its_ids()
    {
        using var serializer = NewSerializer(new SignalCounters());
        var batch = serializer.Serialize(["r0", "r1", "r2", "r3"], Records.Noon)!;
        RecordRange[] ranges = [new(0, 2), new(2, 2), new(0, 1), new(1, 1), new(2, 1), new(3, 1)];

        var ids = ranges.Select(range => BatchRanges.Id(batch, range)).ToList();

        Assert.Equal(ranges.Length + 1, ids.Append(batch.Id).Distinct().Count());
        var again = new SerializedBatch(batch.Id, batch.Signal, batch.CreatedAt, batch.Json.ToArray(), batch.RecordEnds);
        Assert.Equal(ids, ranges.Select(range => BatchRanges.Id(again, range)));
    }

    [Fact]
    public void Ranges_cut_by_size_stay_under_the_limit_and_cover_every_record_once()
    {
        using var serializer = NewSerializer(new SignalCounters());
        var records = Enumerable.Range(0, 100).Select(i => $"record-{i:D3}").ToList();

        var batch = serializer.Serialize(records, Records.Noon)!;

        var names = new List<string>();
        var requests = 0;
        for (var start = 0; start < batch.RecordCount; requests++)
        {
            var range = BatchRanges.NextRange(batch, start, batch.RecordCount, 1024);
            var json = BatchRanges.Json(batch, range);
            Assert.InRange(json.Length, 2, 1024);
            names.AddRange(NamesOf(json));
            start += range.Count;
        }

        Assert.True(requests > 1);
        Assert.Equal(records, names);
    }

    [Fact]
    public void A_record_that_does_not_fit_the_batch_opens_the_next_one()
    {
        using var serializer = NewSerializer(new SignalCounters());
        var names = new List<string>();
        var batches = 0;

        for (var i = 0; i < 100; i++)
        {
            serializer.Add($"record-{i:D3}", maxBytes: 300);
            if (serializer.IsFull)
            {
                var batch = serializer.Seal(Records.Noon)!;
                Assert.InRange(batch.Json.Length, 2, 300);
                names.AddRange(NamesOf(batch.Json));
                batches++;
            }
        }

        names.AddRange(NamesOf(serializer.Seal(Records.Noon)!.Json));
        Assert.True(batches > 1);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"record-{i:D3}"), names);
    }

    [Fact]
    public void A_batch_with_every_record_dropped_is_no_batch()
    {
        using var serializer = NewSerializer(new SignalCounters());

        Assert.Null(serializer.Serialize(["bad", "big"], Records.Noon));
        Assert.Equal(0, serializer.Count);
    }

    private static BatchSerializer<string> NewSerializer(SignalCounters counters) => new(TelemetrySignal.Logs, new NameSerializer(), maxBatchBytes: 1024, counters);

    private static List<string> NamesOf(ReadOnlyMemory<byte> payload)
    {
        using var document = JsonDocument.Parse(payload, new JsonDocumentOptions());
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("n").GetString()!).ToList();
    }

    /// <summary>Writes <c>{"n":name}</c>; "bad" throws half-way through its object, "big" exceeds any batch.</summary>
    private sealed class NameSerializer : IRecordSerializer<string>
    {
        public void Write(Utf8JsonWriter writer, string record)
        {
            writer.WriteStartObject();
            if (record == "bad")
            {
                writer.WriteString("n", "partial");
                writer.Flush(); // bytes reach the buffer before the failure, so they must be rolled back
                throw new InvalidOperationException("unserializable");
            }

            writer.WriteString("n", record == "big" ? new string('x', 2000) : record);
            writer.WriteEndObject();
        }
    }
}
