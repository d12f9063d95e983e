using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Catalog.Data;
using NasSav.Catalog.Lifecycle;
using NasSav.Sagas;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>The lifecycle is stored in the catalog database, in the host and under the test harness alike.</summary>
public sealed class LifecycleRepositoryTests
{
    [Fact]
    public async Task The_host_stores_the_lifecycle_with_the_ef_repository()
    {
        await using var app = await CatalogApp.StartAsync(DbKind.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.IsType<EfSagaRepositoryContextFactory<ResourceLifecycle, CatalogDbContext>>(
            scope.ServiceProvider.GetRequiredService<ISagaRepositoryContextFactory<ResourceLifecycle>>());
    }

    [Fact]
    public async Task The_saga_specs_run_on_the_ef_repository_too()
    {
        await using var app = await LifecycleApp.StartAsync(DbKind.Sqlite);
        await using var scope = app.App.Services.CreateAsyncScope();
        Assert.IsType<EfSagaRepositoryContextFactory<ResourceLifecycle, CatalogDbContext>>(
            scope.ServiceProvider.GetRequiredService<ISagaRepositoryContextFactory<ResourceLifecycle>>());
    }
}
