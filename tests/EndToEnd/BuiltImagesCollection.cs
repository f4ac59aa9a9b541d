namespace Appliance.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class BuiltImagesCollection : ICollectionFixture<BuiltImages>
{
    public const string Name = "built images";
}
