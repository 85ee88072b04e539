using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FemHost.Plugins;

/// <summary>
/// Reads which FemHost.MaterialSdk version an assembly was compiled against, from its metadata
/// tables only: nothing of the plug-in runs before its SDK line is known to match the host's.
/// </summary>
internal static class SdkReference
{
    /// <summary>Name of the SDK assembly every plug-in references.</summary>
    public const string SdkAssemblyName = "FemHost.MaterialSdk";

    /// <summary>The referenced SDK version, or null when the assembly does not reference the SDK.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static Version? Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("the file has no .NET metadata", assemblyPath);
        }

        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            if (reader.StringComparer.Equals(reference.Name, SdkAssemblyName))
            {
                return reference.Version;
            }
        }

        return null;
    }
}
