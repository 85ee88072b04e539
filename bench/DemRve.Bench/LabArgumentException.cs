namespace FemHost.Materials.DemRve.Bench;

/// <summary>A user mistake on a lab command line (or in a dataset it reads): reported in one line with the usage, exit code 2.</summary>
internal sealed class LabArgumentException(string message) : Exception(message);
