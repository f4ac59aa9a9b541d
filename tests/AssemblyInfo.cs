// Test classes run in parallel (each is its own collection) unless they belong to a collection whose definition
// disables parallelization: builds, loop devices, mounts, servers and VMs (SerialCollection, BuiltImagesCollection)
// run one at a time, after the parallel ones. Pure unit tests run side by side.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
