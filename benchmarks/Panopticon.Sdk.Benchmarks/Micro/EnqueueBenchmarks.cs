using BenchmarkDotNet.Attributes;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Pipeline;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// The engine's enqueue alone, at several queue depths: what an application thread pays to hand over a record must
/// not grow with what is already waiting. One write and one read per operation keep the depth constant; at a full
/// queue the write itself drops the oldest record (the outage path).
/// </summary>
[MemoryDiagnoser]
public class EnqueueBenchmarks
{
    private const int Capacity = 10_000;
    private readonly LogRecord _record = new() { Category = "Benchmarks", Message = "queued" };
    private RecordQueue<LogRecord> _queue = null!;

    [Params(0, 1_000, 9_000)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _queue = new RecordQueue<LogRecord>(Capacity, PanopticonOverflowPolicy.DropOldest);
        for (var i = 0; i < Depth; i++)
        {
            _queue.TryEnqueue(new LogRecord { Category = "Benchmarks", Message = "waiting" });
        }
    }

    [Benchmark(Baseline = true)]
    public bool EnqueueThenDequeue()
    {
        _queue.TryEnqueue(_record);
        return _queue.TryDequeue(out _);
    }

    [Benchmark]
    public bool EnqueueIntoFullQueue()
    {
        // Tops the queue up to its capacity once, then every write drops the oldest record.
        while (_queue.Count < Capacity)
        {
            _queue.TryEnqueue(_record);
        }

        return _queue.TryEnqueue(_record);
    }
}
