namespace Panopticon.Producer.Storage;

/// <summary>Tables and indexes; timestamps are microseconds since the Unix epoch (UTC), labels are JSON text.</summary>
internal static class SqliteSchema
{
    public const string Create = """
        PRAGMA journal_mode = WAL;

        CREATE TABLE IF NOT EXISTS spans (
            trace_id         TEXT    NOT NULL,
            span_id          TEXT    NOT NULL,
            parent_span_id   TEXT,
            name             TEXT    NOT NULL,
            kind             TEXT    NOT NULL,
            status           TEXT    NOT NULL,
            service_name     TEXT    NOT NULL,
            environment      TEXT    NOT NULL,
            start_us         INTEGER NOT NULL,
            duration_ms      REAL    NOT NULL,
            http_method      TEXT,
            http_path        TEXT,
            http_status_code INTEGER,
            labels           TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_spans_trace ON spans (trace_id, start_us);
        CREATE INDEX IF NOT EXISTS ix_spans_start ON spans (start_us);
        CREATE INDEX IF NOT EXISTS ix_spans_kind_start ON spans (kind, start_us);
        CREATE INDEX IF NOT EXISTS ix_spans_service ON spans (service_name, trace_id);

        CREATE TABLE IF NOT EXISTS logs (
            id               INTEGER PRIMARY KEY,
            ts_us            INTEGER NOT NULL,
            service_name     TEXT    NOT NULL,
            environment      TEXT    NOT NULL,
            level            TEXT    NOT NULL,
            message          TEXT    NOT NULL,
            trace_id         TEXT,
            span_id          TEXT,
            http_method      TEXT,
            http_path        TEXT,
            http_status_code INTEGER,
            labels           TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_logs_ts ON logs (ts_us);
        CREATE INDEX IF NOT EXISTS ix_logs_trace ON logs (trace_id, ts_us);
        CREATE INDEX IF NOT EXISTS ix_logs_service_ts ON logs (service_name, ts_us);

        -- Batch ids already stored (X-Panopticon-Batch-Id), written in the same transaction as their records.
        CREATE TABLE IF NOT EXISTS batches (
            signal       TEXT    NOT NULL,
            batch_id     TEXT    NOT NULL,
            record_count INTEGER NOT NULL,
            received_us  INTEGER NOT NULL,
            PRIMARY KEY (signal, batch_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_batches_received ON batches (received_us);
        """;

    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTime FromMicros(long micros) => DateTime.UnixEpoch.AddTicks(micros * 10);
}
