using Xunit.Abstractions;
using Xunit.Sdk;

namespace NasSav.SystemTests.Faults;

/// <summary>The place of a test in its class, for classes ordered by <see cref="StepOrderer"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

/// <summary>Runs a class's tests in the order of their <see cref="StepAttribute"/> (unmarked ones last).</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "NasSav.SystemTests.Faults.StepOrderer";
    public const string AssemblyName = "NasSav.SystemTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => Order(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int Order(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName).FirstOrDefault()
            ?.GetConstructorArguments().OfType<int>().FirstOrDefault() ?? int.MaxValue;
}
