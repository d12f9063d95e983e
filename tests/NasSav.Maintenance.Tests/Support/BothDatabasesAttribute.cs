using System.Reflection;
using Xunit.Sdk;

namespace NasSav.Maintenance.Tests.Support;

/// <summary>Runs a [Theory] once on SQLite and once on PostgreSQL.</summary>
public sealed class BothDatabasesAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        yield return [DbKind.Sqlite];
        yield return [DbKind.Postgres];
    }
}
