namespace Panopticon.Producer.Storage;

/// <summary>The store cannot be opened (missing directory, permissions, corrupt file); callers answer 503.</summary>
internal sealed class StorageUnavailableException(Exception inner) : Exception("telemetry storage is unavailable", inner);
