using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;
using Panopticon.Producer.Ingest;

namespace Panopticon.Producer.Storage;

/// <summary>
/// Embedded SQLite storage (WAL). Writes go through one gate: SQLite has a single writer anyway, and waiting on a
/// semaphore is cheaper than spinning on SQLITE_BUSY. Reads use their own pooled connections and run alongside.
/// </summary>
internal sealed class SqliteTelemetryStore : ITelemetryStore, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    public SqliteTelemetryStore(IOptions<ProducerOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        var path = Path.GetFullPath(options.Value.Storage.Path, environment.ContentRootPath);
        DatabasePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
    }

    public string DatabasePath { get; }

    public Task<BatchOutcome> StoreLogsAsync(string? batchId, IReadOnlyList<LogRecord> logs, CancellationToken cancellationToken) =>
        WriteBatchAsync("logs", batchId, logs, InsertLogsAsync, cancellationToken);

    public Task<BatchOutcome> StoreSpansAsync(string? batchId, IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken) =>
        WriteBatchAsync("spans", batchId, spans, InsertSpansAsync, cancellationToken);

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'spans'";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<TraceDetail?> GetTraceAsync(string traceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        var spans = new List<SpanView>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {SpanColumns} FROM spans WHERE trace_id = $trace ORDER BY start_us, rowid";
            command.Parameters.AddWithValue("$trace", traceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                spans.Add(ReadSpan(reader));
            }
        }

        var logs = new List<LogView>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {LogColumns} FROM logs WHERE trace_id = $trace ORDER BY ts_us, id";
            command.Parameters.AddWithValue("$trace", traceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                logs.Add(ReadLog(reader));
            }
        }

        return spans.Count == 0 && logs.Count == 0 ? null : new TraceDetail(traceId, spans, logs);
    }

    public async Task<IReadOnlyList<TraceSummary>> ListTracesAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH t AS (
                SELECT trace_id,
                       MIN(start_us) AS start_us,
                       MAX(start_us + duration_ms * 1000.0) AS end_us,
                       COUNT(*) AS span_count,
                       SUM(status = 'ERROR') AS error_count
                FROM spans
                GROUP BY trace_id)
            SELECT t.trace_id, t.start_us, (t.end_us - t.start_us) / 1000.0 AS duration_ms, t.span_count, t.error_count,
                   r.name, r.service_name
            FROM t
            JOIN spans r ON r.rowid = (SELECT s.rowid FROM spans s WHERE s.trace_id = t.trace_id
                                       ORDER BY s.parent_span_id IS NOT NULL, s.start_us, s.rowid LIMIT 1)
            WHERE ($service IS NULL OR EXISTS (SELECT 1 FROM spans x WHERE x.service_name = $service AND x.trace_id = t.trace_id))
              AND ($status IS NULL OR ($status = 'ERROR') = (t.error_count > 0))
              AND ($min IS NULL OR (t.end_us - t.start_us) / 1000.0 >= $min)
            ORDER BY t.start_us DESC, t.trace_id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$service", (object?)query.Service ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", (object?)query.Status ?? DBNull.Value);
        command.Parameters.AddWithValue("$min", (object?)query.MinDurationMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);

        var traces = new List<TraceSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var errors = reader.GetInt32(4);
            traces.Add(new TraceSummary(
                TraceId: reader.GetString(0),
                RootName: reader.GetString(5),
                ServiceName: reader.GetString(6),
                Start: SqliteSchema.FromMicros(reader.GetInt64(1)),
                DurationMs: Math.Round(reader.GetDouble(2), 3),
                Status: errors > 0 ? "ERROR" : "OK",
                SpanCount: reader.GetInt32(3),
                ErrorCount: errors));
        }

        return traces;
    }

    public async Task<LogPage> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        var where = new StringBuilder("WHERE 1 = 1");
        if (query.Service is not null)
        {
            where.Append(" AND service_name = $service");
            command.Parameters.AddWithValue("$service", query.Service);
        }

        if (query.Level is not null)
        {
            where.Append(" AND level = $level");
            command.Parameters.AddWithValue("$level", query.Level);
        }

        if (query.TraceId is not null)
        {
            where.Append(" AND trace_id = $trace");
            command.Parameters.AddWithValue("$trace", query.TraceId);
        }

        if (query.Text is not null)
        {
            where.Append(@" AND message LIKE $text ESCAPE '\'");
            command.Parameters.AddWithValue("$text", "%" + EscapeLike(query.Text) + "%");
        }

        if (query.From is { } from)
        {
            where.Append(" AND ts_us >= $from");
            command.Parameters.AddWithValue("$from", SqliteSchema.ToMicros(from));
        }

        if (query.To is { } to)
        {
            where.Append(" AND ts_us <= $to");
            command.Parameters.AddWithValue("$to", SqliteSchema.ToMicros(to));
        }

        command.CommandText = $"SELECT count(*) FROM logs {where}";
        var total = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        command.CommandText = $"SELECT {LogColumns} FROM logs {where} ORDER BY ts_us DESC, id DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.Parameters.AddWithValue("$offset", query.Offset);

        var items = new List<LogView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadLog(reader));
        }

        return new LogPage(total, query.Limit, query.Offset, items);
    }

    public async Task<IReadOnlyList<ServerSpanSample>> GetServerSpansAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT service_name, name, duration_ms, status FROM spans
            WHERE kind = 'SERVER' AND start_us >= $from AND start_us <= $to
            """;
        command.Parameters.AddWithValue("$from", SqliteSchema.ToMicros(from));
        command.Parameters.AddWithValue("$to", SqliteSchema.ToMicros(to));

        var samples = new List<ServerSpanSample>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new ServerSpanSample(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetString(3) == "ERROR"));
        }

        return samples;
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$cutoff", SqliteSchema.ToMicros(cutoff));
            var deleted = 0;
            foreach (var sql in (string[])[
                "DELETE FROM spans WHERE start_us < $cutoff",
                "DELETE FROM logs WHERE ts_us < $cutoff",
                "DELETE FROM batches WHERE received_us < $cutoff"])
            {
                command.CommandText = sql;
                deleted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return deleted;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        _writeGate.Dispose();
        _initGate.Dispose();
    }

    private const string SpanColumns =
        "trace_id, span_id, parent_span_id, name, kind, status, service_name, environment, start_us, duration_ms, http_method, http_path, http_status_code, labels";

    private const string LogColumns =
        "id, ts_us, service_name, environment, level, message, trace_id, span_id, http_method, http_path, http_status_code, labels";

    private async Task<BatchOutcome> WriteBatchAsync<T>(
        string signal,
        string? batchId,
        IReadOnlyList<T> records,
        Func<SqliteConnection, SqliteTransaction, IReadOnlyList<T>, CancellationToken, Task> insert,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (batchId is not null)
            {
                await using var remember = connection.CreateCommand();
                remember.Transaction = transaction;
                remember.CommandText = """
                    INSERT INTO batches (signal, batch_id, record_count, received_us) VALUES ($signal, $id, $count, $now)
                    ON CONFLICT DO NOTHING RETURNING 1
                    """;
                remember.Parameters.AddWithValue("$signal", signal);
                remember.Parameters.AddWithValue("$id", batchId);
                remember.Parameters.AddWithValue("$count", records.Count);
                remember.Parameters.AddWithValue("$now", SqliteSchema.ToMicros(_time.GetUtcNow()));
                if (await remember.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return new BatchOutcome(Duplicate: true, await CountOfSeenBatchAsync(connection, signal, batchId, cancellationToken).ConfigureAwait(false));
                }
            }

            await insert(connection, transaction, records, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new BatchOutcome(Duplicate: false, records.Count);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task<int> CountOfSeenBatchAsync(SqliteConnection connection, string signal, string batchId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record_count FROM batches WHERE signal = $signal AND batch_id = $id";
        command.Parameters.AddWithValue("$signal", signal);
        command.Parameters.AddWithValue("$id", batchId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    private static async Task InsertLogsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<LogRecord> logs, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO logs (ts_us, service_name, environment, level, message, trace_id, span_id, http_method, http_path, http_status_code, labels)
            VALUES ($ts, $service, $env, $level, $message, $trace, $span, $method, $path, $code, $labels)
            """;
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var service = command.Parameters.Add("$service", SqliteType.Text);
        var env = command.Parameters.Add("$env", SqliteType.Text);
        var level = command.Parameters.Add("$level", SqliteType.Text);
        var message = command.Parameters.Add("$message", SqliteType.Text);
        var trace = command.Parameters.Add("$trace", SqliteType.Text);
        var span = command.Parameters.Add("$span", SqliteType.Text);
        var method = command.Parameters.Add("$method", SqliteType.Text);
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var code = command.Parameters.Add("$code", SqliteType.Integer);
        var labels = command.Parameters.Add("$labels", SqliteType.Text);

        foreach (var log in logs)
        {
            ts.Value = SqliteSchema.ToMicros(log.Timestamp);
            service.Value = log.ServiceName;
            env.Value = log.Environment;
            level.Value = log.Level;
            message.Value = log.Message;
            trace.Value = (object?)log.TraceId ?? DBNull.Value;
            span.Value = (object?)log.SpanId ?? DBNull.Value;
            method.Value = (object?)log.HttpMethod ?? DBNull.Value;
            path.Value = (object?)log.HttpPath ?? DBNull.Value;
            code.Value = (object?)log.HttpStatusCode ?? DBNull.Value;
            labels.Value = (object?)log.LabelsJson ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task InsertSpansAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, status, service_name, environment, start_us, duration_ms, http_method, http_path, http_status_code, labels)
            VALUES ($trace, $span, $parent, $name, $kind, $status, $service, $env, $start, $duration, $method, $path, $code, $labels)
            """;
        var trace = command.Parameters.Add("$trace", SqliteType.Text);
        var span = command.Parameters.Add("$span", SqliteType.Text);
        var parent = command.Parameters.Add("$parent", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var service = command.Parameters.Add("$service", SqliteType.Text);
        var env = command.Parameters.Add("$env", SqliteType.Text);
        var start = command.Parameters.Add("$start", SqliteType.Integer);
        var duration = command.Parameters.Add("$duration", SqliteType.Real);
        var method = command.Parameters.Add("$method", SqliteType.Text);
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var code = command.Parameters.Add("$code", SqliteType.Integer);
        var labels = command.Parameters.Add("$labels", SqliteType.Text);

        foreach (var s in spans)
        {
            trace.Value = s.TraceId;
            span.Value = s.SpanId;
            parent.Value = (object?)s.ParentSpanId ?? DBNull.Value;
            name.Value = s.Name;
            kind.Value = s.Kind;
            status.Value = s.Status;
            service.Value = s.ServiceName;
            env.Value = s.Environment;
            start.Value = SqliteSchema.ToMicros(s.Timestamp);
            duration.Value = s.DurationMs;
            method.Value = (object?)s.HttpMethod ?? DBNull.Value;
            path.Value = (object?)s.HttpPath ?? DBNull.Value;
            code.Value = (object?)s.HttpStatusCode ?? DBNull.Value;
            labels.Value = (object?)s.LabelsJson ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException(ex);
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            var directory = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Create;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private static SpanView ReadSpan(SqliteDataReader r) => new(
        TraceId: r.GetString(0),
        SpanId: r.GetString(1),
        ParentSpanId: r.IsDBNull(2) ? null : r.GetString(2),
        Name: r.GetString(3),
        Kind: r.GetString(4),
        Status: r.GetString(5),
        ServiceName: r.GetString(6),
        Environment: r.GetString(7),
        Timestamp: SqliteSchema.FromMicros(r.GetInt64(8)),
        DurationMs: r.GetDouble(9),
        HttpMethod: r.IsDBNull(10) ? null : r.GetString(10),
        HttpPath: r.IsDBNull(11) ? null : r.GetString(11),
        HttpStatusCode: r.IsDBNull(12) ? null : r.GetInt32(12),
        Labels: ReadLabels(r, 13));

    private static LogView ReadLog(SqliteDataReader r) => new(
        Id: r.GetInt64(0),
        Timestamp: SqliteSchema.FromMicros(r.GetInt64(1)),
        ServiceName: r.GetString(2),
        Environment: r.GetString(3),
        Level: r.GetString(4),
        Message: r.GetString(5),
        TraceId: r.IsDBNull(6) ? null : r.GetString(6),
        SpanId: r.IsDBNull(7) ? null : r.GetString(7),
        HttpMethod: r.IsDBNull(8) ? null : r.GetString(8),
        HttpPath: r.IsDBNull(9) ? null : r.GetString(9),
        HttpStatusCode: r.IsDBNull(10) ? null : r.GetInt32(10),
        Labels: ReadLabels(r, 11));

    private static JsonElement? ReadLabels(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(reader.GetString(ordinal));
        return document.RootElement.Clone();
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
