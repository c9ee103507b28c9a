using System.Collections;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Logging;

/// <summary>
/// ASP.NET Core's per-request scope and Kestrel's per-connection scope are left out of log lines by the keys they
/// carry, so the filter holds where trimming and Native AOT leave their types without their names. The real scopes
/// under Kestrel are covered by <c>MonitoringEndToEndTests</c>.
/// </summary>
public sealed class PerRequestScopeTests
{
    [Fact]
    public async Task Scopes_carrying_the_frameworks_request_or_connection_keys_are_left_out_whatever_their_type_is_named()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Scopes");

        using (logger.BeginScope(new ConnectionKeys("0HN1")))
        using (logger.BeginScope(new RequestKeys("0HN1:00000001", "/orders")))
        using (logger.BeginScope(new RequestKeys("0HN1:00000002", "/orders/2")))
        {
            logger.LogInformation("inside");
        }

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.False(log.HasLabel("RequestId"));
        Assert.False(log.HasLabel("RequestPath"));
        Assert.False(log.HasLabel("ConnectionId"));
    }

    [Fact]
    public async Task Application_scopes_with_the_same_keys_in_a_list_or_with_more_keys_are_kept()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Scopes");

        using (logger.BeginScope(new List<KeyValuePair<string, object?>> { new("RequestId", "app-1"), new("RequestPath", "/mine") }))
        {
            logger.LogInformation("list");
        }

        using (logger.BeginScope(new RequestKeysAndTenant("app-2", "/mine", "acme")))
        {
            logger.LogInformation("more keys");
        }

        var logs = await harness.FlushLogsAsync();
        var list = Assert.Single(logs, l => l.Str("message") == "list");
        Assert.Equal(("app-1", "/mine"), (list.Label("RequestId"), list.Label("RequestPath")));
        var moreKeys = Assert.Single(logs, l => l.Str("message") == "more keys");
        Assert.Equal(("app-2", "acme"), (moreKeys.Label("RequestId"), moreKeys.Label("Tenant")));
    }

    /// <summary>Carries what ASP.NET Core's hosting scope carries, under a name of its own (as after trimming).</summary>
    private sealed class RequestKeys(string requestId, string path) : ScopeList
    {
        protected override KeyValuePair<string, object?>[] Pairs => [new("RequestId", requestId), new("RequestPath", path)];
    }

    /// <summary>Carries what Kestrel's connection scope carries, under a name of its own.</summary>
    private sealed class ConnectionKeys(string connectionId) : ScopeList
    {
        protected override KeyValuePair<string, object?>[] Pairs => [new("ConnectionId", connectionId)];
    }

    private sealed class RequestKeysAndTenant(string requestId, string path, string tenant) : ScopeList
    {
        protected override KeyValuePair<string, object?>[] Pairs => [new("RequestId", requestId), new("RequestPath", path), new("Tenant", tenant)];
    }

    private abstract class ScopeList : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => Pairs.Length;

        protected abstract KeyValuePair<string, object?>[] Pairs { get; }

        public KeyValuePair<string, object?> this[int index] => Pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Pairs).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
