using System.Runtime.InteropServices;
using System.Text;

namespace FemHost.Cases;

/// <summary>
/// The checks every file the host reads goes through first: it must be a regular file (a path to /dev/zero, a
/// FIFO or a directory would hang the reader, exhaust the memory or fail deep inside it) of bounded size.
/// .NET reports a character device as a normal file of length 0, so the file type comes from statx(2)
/// (stx_mode, whose layout is the same on every Linux architecture); where statx is missing the type is
/// taken from .NET and only the size bound applies.
/// </summary>
public static unsafe class InputFile
{
    /// <summary>Largest case or point-driver file read (YAML).</summary>
    public const long MaxYamlBytes = 16L << 20;

    /// <summary>Largest Gmsh mesh file read (about 5 million Q8 elements in ASCII).</summary>
    public const long MaxMeshBytes = 1L << 30;

    /// <summary>Largest checkpoint read (the largest array .NET allocates).</summary>
    public const long MaxCheckpointBytes = 0x7FFFFFC7;

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1, StatxSize = 0x200;
    private static readonly delegate* unmanaged<int, byte*, int, uint, byte*, int> Statx = FindStatx();

    /// <summary>What kind of file system entry <paramref name="path"/> is, in words ("a regular file", "a character device", ...), or null when it does not exist.</summary>
    public static string? Kind(string path)
    {
        if (Statx is null)
        {
            return Directory.Exists(path) ? "a directory" : File.Exists(path) ? RegularFile : null;
        }

        var name = Encoding.UTF8.GetBytes(path + "\0");
        var buffer = stackalloc byte[256];
        int rc;
        fixed (byte* p = name)
        {
            rc = Statx(AtFdCwd, p, 0, StatxType | StatxSize, buffer);
        }

        if (rc != 0)
        {
            return null;
        }

        ushort mode = *(ushort*)(buffer + 28);
        return (mode & 0xF000) switch
        {
            0x8000 => RegularFile,
            0x4000 => "a directory",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO (named pipe)",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    /// <summary>Whether <paramref name="path"/> is an existing regular file (symbolic links followed).</summary>
    public static bool IsRegular(string path) => Kind(path) == RegularFile;

    /// <summary>
    /// Checks that <paramref name="path"/> is a regular file of at most <paramref name="maxBytes"/> bytes.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="noun">What the file is to the reader, for the message ("the case file", "the mesh").</param>
    /// <param name="expected">What is expected instead ("a Gmsh .msh 4.1 ASCII file").</param>
    /// <param name="maxBytes">The size bound.</param>
    /// <param name="where">The input-file entry that named it; null when the path itself is the location.</param>
    /// <exception cref="UserInputException">Missing, not a regular file, or too large.</exception>
    public static void Check(string path, string noun, string expected, long maxBytes, SourceLocation? where = null)
    {
        var kind = Kind(path);
        string? problem = kind switch
        {
            null => "does not exist",
            RegularFile => new FileInfo(path).Length is var n && n > maxBytes ? $"holds {n:N0} bytes, more than the {maxBytes:N0} accepted" : null,
            _ => $"is {kind}, not a regular file",
        };
        if (problem is not null)
        {
            string at = where is { Line: > 0 } w ? $"{w}: " : "";
            throw new UserInputException($"{at}cannot read {noun} '{path}': it {problem}; expected {expected} of at most {maxBytes >> 20} MiB");
        }
    }

    /// <summary>Reads a text file after <see cref="Check"/>; a read error is a user error naming the file.</summary>
    public static string ReadText(string path, string noun, string expected, long maxBytes)
    {
        Check(path, noun, expected, maxBytes);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot read {noun} '{path}' ({e.Message}); expected {expected} that this user may read", e);
        }
    }

    private const string RegularFile = "a regular file";

    private static delegate* unmanaged<int, byte*, int, uint, byte*, int> FindStatx()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "statx", out var f))
        {
            return null;
        }

        return (delegate* unmanaged<int, byte*, int, uint, byte*, int>)f;
    }
}
