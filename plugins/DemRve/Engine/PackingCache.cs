namespace FemHost.Materials.DemRve.Engine;

/// <summary>
/// A folder of prepared packings, one file per <see cref="RveSpecification"/> (material, gradation, N,
/// seed, pressure and numerics, hashed into the file name), so that the 288 Gauss points of a run, and
/// later runs, do not prepare the same packing again. Files are written to a temporary name and
/// renamed, so a reader never sees a half-written file; a corrupt or foreign file is prepared again.
/// </summary>
/// <param name="folder">Cache folder; null or empty: <see cref="DefaultFolder"/>.</param>
public sealed class PackingCache(string? folder = null)
{
    /// <summary>The cache folder.</summary>
    public string Folder { get; } = string.IsNullOrWhiteSpace(folder) ? DefaultFolder : folder;

    /// <summary>~/.cache/femhost/dem, or femhost-dem under the temporary folder when there is no home.</summary>
    public static string DefaultFolder
    {
        get
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home)
                ? Path.Combine(Path.GetTempPath(), "femhost-dem")
                : Path.Combine(home, ".cache", "femhost", "dem");
        }
    }

    /// <summary>Path of the file of a specification.</summary>
    public string PathOf(RveSpecification spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Path.Combine(Folder, spec.CacheFileName());
    }

    /// <summary>Loads the prepared packing of <paramref name="spec"/>, preparing and storing it when missing.</summary>
    /// <param name="spec">What to prepare.</param>
    /// <param name="fromCache">Whether the packing came from the cache.</param>
    public Packing GetOrPrepare(RveSpecification spec, out bool fromCache)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string path = PathOf(spec);
        if (TryLoad(path) is { } cached && cached.Count == spec.Count)
        {
            fromCache = true;
            return cached;
        }

        var packing = spec.Prepare();
        Store(path, packing);
        fromCache = false;
        return packing;
    }

    private static Packing? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            return Packing.Read(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            return null;
        }
    }

    private static void Store(string path, Packing packing)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string tmp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            using (var stream = File.Create(tmp))
            using (var writer = new BinaryWriter(stream))
            {
                packing.Write(writer);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: a read-only or full disk must not stop the run.
        }
    }
}
