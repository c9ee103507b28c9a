using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// The name of a stored batch: <c>{created UTC ticks, 19 digits}-{batch id}-{owner id}.batch</c>. Names sort oldest
/// first; the owner is the store that may send the batch (a process adopts a batch by renaming it to its own owner id,
/// which only one process can do). A batch being written has <see cref="TempSuffix"/> appended until it is complete.
/// </summary>
internal readonly record struct BatchFileName(long CreatedTicks, Guid BatchId, Guid Owner)
{
    public const string Extension = ".batch";

    public const string TempSuffix = ".tmp";

    // 19 + 1 + 32 + 1 + 32 + 6
    private const int Length = 91;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{CreatedTicks:D19}-{BatchId:N}-{Owner:N}{Extension}");

    public BatchFileName WithOwner(Guid owner) => this with { Owner = owner };

    public static bool TryParse(string fileName, [NotNullWhen(true)] out BatchFileName? name)
    {
        name = null;
        if (fileName.Length != Length || !fileName.EndsWith(Extension, StringComparison.Ordinal) || fileName[19] != '-' || fileName[52] != '-')
        {
            return false;
        }

        var span = fileName.AsSpan();
        if (!long.TryParse(span[..19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(span.Slice(20, 32), "N", out var id)
            || !Guid.TryParseExact(span.Slice(53, 32), "N", out var owner))
        {
            return false;
        }

        name = new BatchFileName(ticks, id, owner);
        return true;
    }

    /// <summary>The owner of a temporary file (<c>….batch.tmp</c>), whose name is otherwise a batch's.</summary>
    public static bool TryParseTemp(string fileName, [NotNullWhen(true)] out BatchFileName? name)
    {
        name = null;
        return fileName.EndsWith(Extension + TempSuffix, StringComparison.Ordinal) && TryParse(fileName[..^TempSuffix.Length], out name);
    }
}
