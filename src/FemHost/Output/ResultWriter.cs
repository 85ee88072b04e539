using System.Globalization;
using FemHost.Cases;
using FemHost.Checkpoints;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;

namespace FemHost.Output;

/// <summary>
/// Writes a run's results into the case's output folder: <c>curves.csv</c> after every completed step,
/// <c>newton.csv</c> (residual history of every increment),
/// <c>NAME_NNNN.vtu</c> every k steps and at the last step with <c>NAME.pvd</c> listing them,
/// PNG plots of the curves at the end, the material-point log when asked for, and on an early stop the last converged fields.
/// Every file is written atomically. <see cref="Cursor"/> says what has been written (a checkpoint holds it); a
/// writer built from a cursor (a resumed run) rewrites those files, deletes field files written after it, and continues.
/// </summary>
public sealed class ResultWriter : IDisposable
{
    private readonly Model _model;
    private readonly OutputSettings _settings;
    private readonly string _name;
    private readonly string _folder;
    private readonly NodalProjection _projection;
    private readonly PvdWriter _pvd;
    private readonly PointLogWriter? _pointLog;
    private readonly System.Text.StringBuilder _newtonLog = new(NewtonHeader);
    private readonly DateTime _createdUtc;
    private int _lastVtuStep = -1;
    private int _increments;

    /// <summary>Prepares the folder and the curve recorder; with <paramref name="resume"/>, restores the files of a checkpoint.</summary>
    /// <param name="c">The case.</param>
    /// <param name="model">The model (restored from the checkpoint when resuming).</param>
    /// <param name="folder">The folder to write in (the run's staging folder, <see cref="ResultFolder"/>).</param>
    /// <param name="resume">The output cursor of the checkpoint a run resumes from, or null for a fresh run.</param>
    public ResultWriter(CaseDefinition c, Model model, string folder, OutputCursor? resume = null)
    {
        (_model, _settings, _name, _folder) = (model, c.Output, c.Name, folder);
        OutputFolder.Prepare(_folder, _settings.Where);
        Curves = new CurveRecorder(model, _settings.Curves);
        _projection = new NodalProjection(model.Mesh, model.Element);
        _pvd = new PvdWriter(Path.Combine(_folder, _name + ".pvd"));
        _createdUtc = resume?.CreatedUtc ?? DateTime.UtcNow;
        _pointLog = _settings.PointLog ? new PointLogWriter(model, _folder, c.SourcePath, _createdUtc, resume) : null;
        if (resume is not null)
        {
            Restore(resume);
        }
    }

    /// <summary>The recorded curves.</summary>
    public CurveRecorder Curves { get; }

    /// <summary>Number of .vtu files written.</summary>
    public int FieldFiles { get; private set; }

    /// <summary>Path of the curves CSV.</summary>
    public string CurvesPath => Path.Combine(_folder, "curves.csv");

    /// <summary>Path of the Newton log (one row per iteration of every converged increment).</summary>
    public string NewtonLogPath => Path.Combine(_folder, "newton.csv");

    /// <summary>What has been written so far (for a checkpoint).</summary>
    public OutputCursor Cursor() => new(_createdUtc, _newtonLog.ToString(), _increments, Curves.Rows.Select(r => (double[])r.Clone()).ToList(),
        _pvd.Entries.ToList(), _lastVtuStep, _pointLog?.Blocks.ToList() ?? [], _pointLog?.Phi ?? []);

    /// <summary>
    /// After each converged increment: appends its residual history to <c>newton.csv</c> (increment, step,
    /// λ, Δλ, iteration, relative residual, relative correction: the convergence rate is read from it) and
    /// logs every material point when the case asks for the point log.
    /// </summary>
    public void IncrementConverged(IncrementReport report)
    {
        _increments++;
        var c = CultureInfo.InvariantCulture;
        foreach (var it in report.Result.History)
        {
            _newtonLog.AppendLine(string.Create(c, $"{_increments},{report.Step},{report.Lambda:R},{report.DeltaLambda:R},{it.Iteration},{it.Residual:E3},{it.Correction:E3}"));
        }

        AtomicFile.WriteText(NewtonLogPath, w => w.Write(_newtonLog));
        _pointLog?.Append(report.Lambda);
    }

    /// <summary>Records a completed nominal step (and writes the fields when due).</summary>
    public void StepCompleted(IncrementReport report, NewtonSolver newton)
    {
        Curves.Record(report.Step, report.Lambda, newton);
        Curves.Write(CurvesPath);
        if (_settings.Vtu && (report.Step % Math.Max(1, _settings.Every) == 0 || report.Step == report.StepCount))
        {
            WriteFields(report.Step, report.Lambda, newton);
        }
    }

    /// <summary>Writes the plots (and, for a stopped run whose state is <paramref name="consistent"/>, the last converged fields).</summary>
    public IReadOnlyList<string> Finish(RunResult result, NewtonSolver newton, bool consistent = true)
    {
        var files = new List<string>();
        if (!result.Completed && consistent)
        {
            if (_settings.Vtu && _lastVtuStep != result.StepsCompleted)
            {
                WriteFields(result.StepsCompleted, result.Lambda, newton);
            }
        }

        if (_settings.Plots)
        {
            files.AddRange(CurvePlotter.Write(_folder, _name, Curves));
        }

        return files;
    }

    /// <summary>Completes the material-point log.</summary>
    public void Dispose() => _pointLog?.Dispose();

    private const string NewtonHeader = "increment,step,lambda,dlambda,iteration,residual,correction\n";

    private string FieldFile(int step) => $"{_name}_{step.ToString("D4", CultureInfo.InvariantCulture)}.vtu";

    /// <summary>Rewrites newton.csv, curves.csv and the .pvd as they were at the checkpoint and deletes later .vtu files.</summary>
    private void Restore(OutputCursor cursor)
    {
        // Temporary files of a killed run (AtomicFile's ".NAME.PID.GUID.tmp") are debris, never results.
        foreach (var debris in Directory.EnumerateFiles(_folder, ".*.tmp"))
        {
            File.Delete(debris);
        }

        _newtonLog.Clear().Append(cursor.NewtonLog);
        _increments = cursor.Increments;
        AtomicFile.WriteText(NewtonLogPath, w => w.Write(_newtonLog));
        Curves.Restore(cursor.Curves);
        Curves.Write(CurvesPath);
        _lastVtuStep = cursor.LastFieldStep;
        FieldFiles = cursor.Fields.Count;
        var kept = cursor.Fields.Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_folder, $"{_name}_*.vtu"))
        {
            var stem = Path.GetFileNameWithoutExtension(file)[(_name.Length + 1)..];
            if (stem.Length == 4 && stem.All(char.IsAsciiDigit) && !kept.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }

        if (cursor.Fields.Count > 0)
        {
            _pvd.Restore(cursor.Fields);
        }
        else
        {
            File.Delete(Path.Combine(_folder, _name + ".pvd"));
        }
    }

    private void WriteFields(int step, double lambda, NewtonSolver newton)
    {
        var file = FieldFile(step);
        VtuWriter.Write(Path.Combine(_folder, file), _model, newton.Displacement, _projection);
        _pvd.Add(lambda, file);
        _lastVtuStep = step;
        FieldFiles++;
    }
}
