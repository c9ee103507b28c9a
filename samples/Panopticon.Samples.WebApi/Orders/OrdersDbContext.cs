using Microsoft.EntityFrameworkCore;

namespace Panopticon.Samples.WebApi.Orders;

/// <summary>EF Core on SQLite; every command it runs becomes a span in the request's trace.</summary>
public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}
