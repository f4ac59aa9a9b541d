namespace Appliance.Core.Layout;

/// <summary>One fact of the appliance layout as shell sees it: <c>Name='Value'</c> in the generated layout file.</summary>
public sealed record LayoutFact(string Name, string Value, string Meaning);
