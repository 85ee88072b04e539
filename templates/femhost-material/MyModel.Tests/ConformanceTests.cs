using FemHost.MaterialSdk.Testing;
using Xunit;

namespace MyModel.Tests;

public class ConformanceTests
{
    /// <summary>Tangent vs finite differences, zero increment, repeatability, isotropy, bad input, concurrency.</summary>
    [Fact]
    public void PassesTheFemHostConformanceKit() =>
        MaterialConformance.Run(new MyModelPlugin()).AssertPassed();
}
