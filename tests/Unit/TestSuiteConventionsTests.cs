using System.Reflection;

namespace Appliance.Tests.Unit;

/// <summary>Rules of this test suite that xUnit only reports at run time, checked here before anything runs.</summary>
public sealed class TestSuiteConventionsTests
{
    [Fact]
    public void Every_test_with_a_timeout_is_asynchronous_because_xunit_fails_a_synchronous_one()
    {
        var synchronous = typeof(TestSuiteConventionsTests).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttributes<FactAttribute>().Any(fact => fact.Timeout > 0) && method.ReturnType != typeof(Task))
            .Select(method => $"{method.DeclaringType!.Name}.{method.Name}")
            .ToList();

        Assert.Empty(synchronous);
    }
}
