using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Panopticon.Sdk.Integration.Tests.EndToEnd;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.EntityFrameworkCore;

public sealed class CommandSpanTests
{
    [Fact]
    public async Task A_query_span_is_a_child_of_the_current_span_and_leaves_Activity_Current_as_it_was()
    {
        await using var harness = new EfHarness();
        await using var db = harness.CreateDb();
        await harness.ResetAsync();

        string outerSpanId;
        using (var outer = harness.Source.StartActivity("outer"))
        {
            outerSpanId = outer!.SpanId.ToHexString();
            var sku = "secret-sku"; // a captured variable becomes a parameter (a literal would be part of the SQL)
            _ = await db.Orders.Where(o => o.Sku == sku).ToListAsync();
            Assert.Same(outer, Activity.Current);
            _ = db.Orders.Count(); // synchronous path too
            Assert.Same(outer, Activity.Current);
        }

        var spans = await harness.DbSpansAsync();
        Assert.Equal(2, spans.Count);
        Assert.All(spans, span =>
        {
            Assert.Equal(outerSpanId, span.Str("parent_span_id"));
            Assert.Equal("CLIENT", span.Str("kind"));
            Assert.Equal("OK", span.Str("status"));
            Assert.Equal("sqlite", span.Label("db_system"));
            Assert.Equal("main", span.Label("db_name"));
            Assert.Equal("SELECT", span.Label("db_operation"));
            Assert.Equal("SELECT main", span.Str("name"));
            Assert.StartsWith("SELECT", span.Label("db_statement"));
            Assert.DoesNotContain("secret-sku", span.GetRawText());
        });
    }

    [Fact]
    public async Task A_reader_span_ends_at_reader_disposal_and_never_parents_later_spans()
    {
        await using var harness = new EfHarness();
        await using (var seed = harness.CreateDb())
        {
            seed.Orders.AddRange(new Order { Sku = "a" }, new Order { Sku = "b" });
            await seed.SaveChangesAsync();
        }

        await using var db = harness.CreateDb();
        await harness.ResetAsync();
        using var outer = harness.Source.StartActivity("outer")!;
        var slowRead = TimeSpan.FromMilliseconds(200);
        string childParent;

        await using (var rows = db.Orders.AsAsyncEnumerable().GetAsyncEnumerator())
        {
            Assert.True(await rows.MoveNextAsync());
            Assert.Same(outer, Activity.Current);
            Assert.Empty(await harness.DbSpansAsync()); // the command has started, not ended: the reader is open

            using (var child = harness.Source.StartActivity("work-while-reading"))
            {
                childParent = child!.ParentSpanId.ToHexString();
            }

            await Task.Delay(slowRead); // a slow enumeration: the span must cover it
            while (await rows.MoveNextAsync())
            {
            }
        }

        Assert.Same(outer, Activity.Current);
        var span = Assert.Single(await harness.DbSpansAsync());
        Assert.True(span.GetProperty("duration_ms").GetDouble() >= slowRead.TotalMilliseconds, span.GetRawText());
        Assert.Equal(outer.SpanId.ToHexString(), span.Str("parent_span_id"));
        Assert.Equal(outer.SpanId.ToHexString(), childParent);
    }

    [Fact]
    public async Task A_synchronous_reader_never_becomes_current()
    {
        await using var harness = new EfHarness();
        await using var db = harness.CreateDb();
        db.Orders.Add(new Order { Sku = "a" });
        await db.SaveChangesAsync();
        await harness.ResetAsync();
        using var outer = harness.Source.StartActivity("outer")!;

        // No async boundary here: whatever the command does to Activity.Current is visible to the caller.
        using (var rows = db.Orders.AsEnumerable().GetEnumerator())
        {
            Assert.True(rows.MoveNext());
            Assert.Same(outer, Activity.Current);
            using var child = harness.Source.StartActivity("work-while-reading");
            Assert.Equal(outer.SpanId, child!.ParentSpanId);
        }

        Assert.Same(outer, Activity.Current);
        var span = Assert.Single(await harness.DbSpansAsync());
        Assert.Equal(outer.SpanId.ToHexString(), span.Str("parent_span_id"));
    }

    [Fact]
    public async Task A_failing_command_is_an_error_span_and_Activity_Current_is_restored()
    {
        await using var harness = new EfHarness();
        await using var db = harness.CreateDb();
        await harness.ResetAsync();
        using var outer = harness.Source.StartActivity("outer")!;

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.Database.ExecuteSqlRawAsync("SELECT * FROM missing_table"));
        Assert.Same(outer, Activity.Current);
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => db.Database.ExecuteSqlRaw("DELETE FROM missing_table"));
        Assert.Same(outer, Activity.Current);

        var spans = await harness.DbSpansAsync();
        Assert.Equal(2, spans.Count);
        Assert.All(spans, span =>
        {
            Assert.Equal("ERROR", span.Str("status"));
            Assert.Equal("Microsoft.Data.Sqlite.SqliteException", span.Label("error_type"));
            Assert.Contains("no such table", span.Label("error_message"));
        });
    }

    [Fact]
    public async Task A_cancelled_command_ends_its_span()
    {
        await using var harness = new EfHarness();
        await using var db = harness.CreateDb();
        await harness.ResetAsync();
        using var outer = harness.Source.StartActivity("outer")!;
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // The connection is already open, so EF reaches the command and the provider throws on the cancelled token.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Database.ExecuteSqlRawAsync("SELECT 1", cancellation.Token));
        Assert.Same(outer, Activity.Current);

        var span = Assert.Single(await harness.DbSpansAsync());
        Assert.Equal("ERROR", span.Str("status"));
        Assert.Equal(outer.SpanId.ToHexString(), span.Str("parent_span_id"));
    }

    [Fact]
    public async Task Inserts_are_traced_and_parameter_values_never_captured()
    {
        await using var harness = new EfHarness();
        await using var db = harness.CreateDb();
        await harness.ResetAsync();

        db.Orders.Add(new Order { Sku = "card-4111-1111" });
        await db.SaveChangesAsync();

        var span = Assert.Single(await harness.DbSpansAsync());
        Assert.Equal("INSERT", span.Label("db_operation"));
        Assert.Contains("@p0", span.Label("db_statement"));
        Assert.DoesNotContain("card-4111", span.GetRawText());
        Assert.Equal(JsonValueKindNull, span.GetProperty("parent_span_id").ValueKind);
    }

    [Fact]
    public async Task Literal_values_in_raw_sql_are_replaced_with_question_marks()
    {
        await using var harness = new EfHarness();
        await using var db = harness.CreateDb();
        await harness.ResetAsync();

        _ = await db.Database.ExecuteSqlRawAsync("UPDATE Orders SET Sku = Sku WHERE Sku = 'a@b.c' AND Id = 4111");

        var span = Assert.Single(await harness.DbSpansAsync());
        Assert.Equal("UPDATE Orders SET Sku = Sku WHERE Sku = ? AND Id = ?", span.Label("db_statement"));
        Assert.DoesNotContain("a@b.c", span.GetRawText());
    }

    [Fact]
    public async Task CaptureDbStatements_false_leaves_the_sql_out()
    {
        await using var harness = new EfHarness(o => o.CaptureDbStatements = false);
        await using var db = harness.CreateDb();
        await harness.ResetAsync();

        _ = await db.Orders.CountAsync();

        var span = Assert.Single(await harness.DbSpansAsync());
        Assert.False(span.HasLabel("db_statement"));
        Assert.Equal("sqlite", span.Label("db_system"));
    }

    [Fact]
    public async Task EnableDbTracking_false_removes_db_spans_only()
    {
        await using var harness = new EfHarness(o => o.EnableDbTracking = false);
        await using var db = harness.CreateDb();
        await harness.ResetAsync();

        using (harness.Source.StartActivity("outer"))
        {
            _ = await db.Orders.CountAsync();
        }

        var spans = await harness.FlushSpansAsync();
        var outer = Assert.Single(spans);
        Assert.Equal("outer", outer.Str("name"));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
