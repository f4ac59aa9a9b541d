namespace Appliance.Tests.Support;

/// <summary>The theory form of <see cref="ToolFactAttribute"/>.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Skip = ToolFactAttribute.MissingTools(tools);
        Timeout = ToolFactAttribute.TimeoutMinutes * 60_000;
    }
}
