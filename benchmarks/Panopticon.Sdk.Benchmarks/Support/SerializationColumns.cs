using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Panopticon.Sdk.Benchmarks.Micro;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>Adds records per second (one thread, so per core) and body bytes per record to the serialization table.</summary>
internal sealed class SerializationColumns : ManualConfig
{
    public SerializationColumns()
    {
        AddColumn(new RecordsPerSecondColumn(), new BytesPerRecordColumn());
    }

    private static int Records(BenchmarkCase benchmark) => benchmark.Parameters["Records"] is int records ? records : 0;

    private abstract class Column(string name) : IColumn
    {
        public string Id => name;

        public string ColumnName => name;

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => name;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase);
    }

    private sealed class RecordsPerSecondColumn() : Column("Records/s")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 && Records(benchmarkCase) > 0 ? (Records(benchmarkCase) / (mean.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture) : "-";
        }
    }

    private sealed class BytesPerRecordColumn() : Column("Bytes/record")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (benchmarkCase.Descriptor.Type != typeof(SerializationBenchmarks))
            {
                return "-";
            }

            var benchmark = new SerializationBenchmarks { Records = Records(benchmarkCase), Gzip = (bool)benchmarkCase.Parameters["Gzip"]! };
            benchmark.Setup();
            try
            {
                var bytes = benchmark.BodyBytes(benchmarkCase.Descriptor.WorkloadMethod.Name);
                return ((double)bytes / benchmark.Records).ToString("N1", CultureInfo.InvariantCulture);
            }
            finally
            {
                benchmark.Cleanup();
            }
        }
    }
}
