// Builds share the package cache and loop devices, and VMs need the CPU: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
