namespace Appliance.Tests.EndToEnd;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BuiltImagesCollection : ICollectionFixture<BuiltImages>
{
    public const string Name = "built images";
}
