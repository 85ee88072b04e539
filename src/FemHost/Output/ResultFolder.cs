using FemHost.Cases;
using FemHost.Checkpoints;

namespace FemHost.Output;

/// <summary>
/// The output folder of one run, kept safe from a second run, a crash and a full disk. A run holds an exclusive
/// lock (<c>.NAME.lock</c> beside the folder, released by the kernel when the process ends however it ends), so
/// a second run on the same folder is refused. It writes into <c>NAME.partial</c> beside the folder and only
/// when it ends with its files complete (done, or stopped cleanly) is the staging folder swapped in for the
/// previous results (two renames within one file system; an interrupted swap is finished by the next run).
/// So a run that crashes, is killed or finds the disk full leaves the previous results as they were and its
/// own, with its last checkpoint, in NAME.partial, from where <c>femhost run --resume</c> continues.
/// A folder is only ever replaced when it holds nothing but what a run writes (<see cref="IsResultFile"/>):
/// a wrong <c>--output</c> cannot wipe a folder of other files.
/// </summary>
public sealed class ResultFolder : IDisposable
{
    private readonly FileStream _lock;
    private readonly bool _stagingPredates;
    private bool _committed;

    private ResultFolder(string target, string staging, string previous, FileStream lockFile, bool stagingPredates)
    {
        (Target, Staging, _previous, _lock, _stagingPredates) = (target, staging, previous, lockFile, stagingPredates);
    }

    private readonly string _previous;

    /// <summary>Where the results are once the run has ended.</summary>
    public string Target { get; }

    /// <summary>Where the run writes while it runs (<c>NAME.partial</c> beside <see cref="Target"/>).</summary>
    public string Staging { get; }

    /// <summary>Set once the run has written results of its own: an unfinished run then keeps its staging folder.</summary>
    public bool Written { get; set; }

    /// <summary>
    /// Locks the folder <paramref name="target"/> for this run and prepares its staging folder: empty for a fresh
    /// run; for a resumed one, the staging folder of an unfinished run when it holds a checkpoint, else a copy of
    /// the finished results.
    /// </summary>
    /// <param name="target">Absolute path of the results folder.</param>
    /// <param name="where">The case-file entry that named it, or <see cref="SourceLocation.None"/>.</param>
    /// <param name="resume">Whether the run resumes from a checkpoint.</param>
    /// <exception cref="UserInputException">Another run holds the folder, it holds files a run does not write, it cannot be written, or there is nothing to resume.</exception>
    public static ResultFolder Open(string target, SourceLocation where, bool resume)
    {
        string at = where.Line > 0 ? $"{where}: " : "";
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        string name = Path.GetFileName(target), parent = Path.GetDirectoryName(target) ?? "";
        if (name.Length == 0 || parent.Length == 0)
        {
            throw new UserInputException($"{at}the output folder '{target}' is a file-system root; expected a folder of its own, e.g. results/NAME");
        }

        OutputFolder.Prepare(parent, where, shownAs: target);
        var lockFile = Lock(Path.Combine(parent, $".{name}.lock"), target, at);
        try
        {
            string staging = StagingOf(target), previous = Path.Combine(parent, $".{name}.previous");
            FinishSwap(target, previous);
            CheckReplaceable(target, at);
            CheckReplaceable(staging, at);
            bool predates = false;
            if (resume && File.Exists(CheckpointFile.PathIn(staging)))
            {
                predates = true; // an unfinished run's folder: continue in it
            }
            else if (resume && File.Exists(CheckpointFile.PathIn(target)))
            {
                Replace(staging, () => CopyFolder(target, staging));
            }
            else if (resume)
            {
                throw new UserInputException($"{at}{CheckpointFile.PathIn(target)}: no checkpoint to resume from; expected the checkpoint a run of this case " +
                    $"writes into its output folder (every output.checkpoint_every steps and when it stops; an unfinished run's is in {staging}): " +
                    "run the case without --resume to start it afresh");
            }
            else
            {
                Replace(staging, () => Directory.CreateDirectory(staging));
            }

            OutputFolder.Prepare(staging, where);
            return new ResultFolder(target, staging, previous, lockFile, predates);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The staging folder of the results folder <paramref name="target"/>: <c>NAME.partial</c> beside it.</summary>
    public static string StagingOf(string target) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(target)) + ".partial";

    /// <summary>
    /// Whether a file name is one a run writes (<c>curves.csv</c>, <c>newton.csv</c>, fields, plots, point logs,
    /// the checkpoint, temporary files of an interrupted write): only a folder of these is ever replaced.
    /// </summary>
    public static bool IsResultFile(string fileName)
    {
        if (fileName.StartsWith('.') && fileName.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return true; // AtomicFile's ".NAME.PID.GUID.tmp"
        }

        var name = fileName.EndsWith(".tmp", StringComparison.Ordinal) ? fileName[..^4] : fileName; // a point log being streamed
        return name is "curves.csv" or "newton.csv" || name == CheckpointFile.FileName
            || (name.StartsWith("points-", StringComparison.Ordinal) && (name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".csv.json", StringComparison.Ordinal)))
            || Path.GetExtension(name) is ".vtu" or ".pvd" or ".png";
    }

    /// <summary>Swaps the staging folder in for the previous results: the run ended with its files complete.</summary>
    public void Commit()
    {
        bool replaces = Directory.Exists(Target);
        if (replaces)
        {
            Directory.Move(Target, _previous);
        }

        Directory.Move(Staging, Target);
        _committed = true;
        if (replaces)
        {
            Directory.Delete(_previous, recursive: true);
        }
    }

    /// <summary>Releases the lock; an uncommitted staging folder is removed unless it holds results (<see cref="Written"/>) or predates this run.</summary>
    public void Dispose()
    {
        try
        {
            if (!_committed && !Written && !_stagingPredates && Directory.Exists(Staging))
            {
                Directory.Delete(Staging, recursive: true);
            }
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private static FileStream Lock(string path, string target, string at)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == 11)
        {
            // EWOULDBLOCK: .NET takes FileShare.None as flock(LOCK_EX | LOCK_NB), and another process holds it.
            throw new UserInputException($"{at}the output folder '{target}' is being written by another femhost run (it holds the lock {path}); " +
                "expected one run per output folder: wait for that run to end, or give this one another output folder (--output DIR)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UserInputException($"{at}cannot create the lock file {path} of the output folder '{target}' ({e.Message}); expected a writable folder", e);
        }
    }

    /// <summary>A swap interrupted between its two renames leaves the previous results beside a missing target: put them back.</summary>
    private static void FinishSwap(string target, string previous)
    {
        if (!Directory.Exists(previous))
        {
            return;
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(previous, recursive: true);
        }
        else
        {
            Directory.Move(previous, target);
        }
    }

    private static void CheckReplaceable(string target, string at)
    {
        if (File.Exists(target))
        {
            throw new UserInputException($"{at}the output folder '{target}' is an existing file; expected a folder (new, or the results of an earlier run): choose another output folder");
        }

        if (!Directory.Exists(target))
        {
            return;
        }

        // A link or a device is never a result, whatever its name: following one would read or copy what it points to.
        foreach (var entry in Directory.EnumerateFileSystemEntries(target))
        {
            string name = Path.GetFileName(entry);
            string? why = new FileInfo(entry).LinkTarget is not null ? "a symbolic link"
                : !InputFile.IsRegular(entry) ? InputFile.Kind(entry) ?? "an entry"
                : !IsResultFile(name) ? "a file" : null;
            if (why is not null)
            {
                throw new UserInputException($"{at}the output folder '{target}' holds '{name}', {why} that no femhost run writes, so the folder is not replaced; " +
                    "expected a new folder or the results of an earlier run (curves.csv, newton.csv, .vtu, .pvd, .png, points-*.csv, checkpoint.femhost, all regular files): " +
                    "move that entry away or choose another output folder");
            }
        }
    }

    private static void Replace(string folder, Action create)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        create();
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
