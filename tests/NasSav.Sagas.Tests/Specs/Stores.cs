namespace NasSav.Sagas.Tests.Specs;

public static class Stores
{
    /// <summary>Behaviour every saga repository must show, MassTransit's in-memory one included.</summary>
    public static TheoryData<SagaStore> All => new() { SagaStore.InMemory, SagaStore.Sqlite, SagaStore.Postgres };

    /// <summary>Transactional behaviour only a database-backed repository can show.</summary>
    public static TheoryData<SagaStore> Ef => new() { SagaStore.Sqlite, SagaStore.Postgres };
}
