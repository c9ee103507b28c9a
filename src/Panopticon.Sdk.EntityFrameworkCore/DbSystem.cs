namespace Panopticon.Sdk.EntityFrameworkCore;

/// <summary>The <c>db_system</c> value of an EF Core provider, from its name (e.g. <c>Npgsql.EntityFrameworkCore.PostgreSQL</c> → <c>postgresql</c>).</summary>
internal static class DbSystem
{
    private static readonly (string Marker, string System)[] Known =
    [
        ("Sqlite", "sqlite"),
        ("Npgsql", "postgresql"),
        ("PostgreSQL", "postgresql"),
        ("SqlServer", "mssql"),
        ("MySql", "mysql"),
        ("Oracle", "oracle"),
        ("Firebird", "firebird"),
        ("Db2", "db2"),
        ("Jet", "msaccess"),
    ];

    public static string FromProvider(string? providerName)
    {
        if (providerName is not null)
        {
            foreach (var (marker, system) in Known)
            {
                if (providerName.Contains(marker, StringComparison.OrdinalIgnoreCase))
                {
                    return system;
                }
            }
        }

        return "other_sql";
    }
}
