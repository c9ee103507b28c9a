using Panopticon.Sdk.EntityFrameworkCore;

namespace Panopticon.Sdk.Integration.Tests.EntityFrameworkCore;

public sealed class SqlLiteralsTests
{
    [Theory]
    [InlineData("SELECT * FROM users WHERE email = 'a@b.c'", "SELECT * FROM users WHERE email = ?")]
    [InlineData("SELECT * FROM t WHERE name = 'O''Brien' AND id = 42", "SELECT * FROM t WHERE name = ? AND id = ?")]
    [InlineData("SELECT * FROM t WHERE n = N'é' OR x = -1.5e3 OR h = 0x1F", "SELECT * FROM t WHERE n = ? OR x = -? OR h = ?")]
    [InlineData("SELECT t0.id FROM orders AS t0 WHERE t0.sku = @p0 AND t0.n = $1 AND t0.m = :p2 LIMIT @__p_1", "SELECT t0.id FROM orders AS t0 WHERE t0.sku = @p0 AND t0.n = $1 AND t0.m = :p2 LIMIT @__p_1")]
    [InlineData("SELECT \"col1\", [col 2], `c3` FROM \"t'x\"", "SELECT \"col1\", [col 2], `c3` FROM \"t'x\"")]
    [InlineData("-- user 42's query\nSELECT 7 /* 'kept' 9 */", "-- user 42's query\nSELECT ? /* 'kept' 9 */")]
    [InlineData("INSERT INTO t (a, b) VALUES ('x', 3)", "INSERT INTO t (a, b) VALUES (?, ?)")]
    [InlineData("SELECT 'unclosed", "SELECT ?")]
    public void Literal_values_become_question_marks_and_everything_else_is_kept(string sql, string expected) =>
        Assert.Equal(expected, SqlLiterals.Scrub(sql));

    [Fact]
    public void A_statement_without_literals_is_returned_as_is()
    {
        const string Sql = "SELECT id FROM orders WHERE sku = @sku";

        Assert.Same(Sql, SqlLiterals.Scrub(Sql));
    }
}
