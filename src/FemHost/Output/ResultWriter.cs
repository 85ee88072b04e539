using System.Globalization;
using FemHost.Cases;
using FemHost.Fem.Model;
using FemHost.Fem.Solution;
using FemHost.MaterialSdk;

namespace FemHost.Output;

/// <summary>
/// Writes a run's results into the case's output folder: <c>curves.csv</c> after every completed step,
/// <c>newton.csv</c> (residual history of every increment),
/// <c>NAME_NNNN.vtu</c> every k steps and at the last step with <c>NAME.pvd</c> listing them,
/// PNG plots of the curves at the end, the material-point log when asked for, and on an early stop the last converged fields and a checkpoint
/// of every material with opaque state. Every file is written atomically.
/// </summary>
public sealed class ResultWriter : IDisposable
{
    private readonly Model _model;
    private readonly OutputSettings _settings;
    private readonly string _name;
    private readonly NodalProjection _projection;
    private readonly PvdWriter _pvd;
    private readonly PointLogWriter? _pointLog;
    private readonly System.Text.StringBuilder _newtonLog = new("increment,step,lambda,dlambda,iteration,residual,correction\n");
    private int _lastVtuStep = -1;
    private int _increments;

    /// <summary>Prepares the folder and the curve recorder.</summary>
    public ResultWriter(CaseDefinition c, Model model)
    {
        (_model, _settings, _name) = (model, c.Output, c.Name);
        OutputFolder.Prepare(_settings.Folder, _settings.Where);
        Curves = new CurveRecorder(model, _settings.Curves);
        _projection = new NodalProjection(model.Mesh, model.Element);
        _pvd = new PvdWriter(Path.Combine(_settings.Folder, _name + ".pvd"));
        _pointLog = _settings.PointLog ? new PointLogWriter(model, _settings.Folder, c.SourcePath) : null;
    }

    /// <summary>The recorded curves.</summary>
    public CurveRecorder Curves { get; }

    /// <summary>Number of .vtu files written.</summary>
    public int FieldFiles { get; private set; }

    /// <summary>Path of the curves CSV.</summary>
    public string CurvesPath => Path.Combine(_settings.Folder, "curves.csv");

    /// <summary>Path of the Newton log (one row per iteration of every converged increment).</summary>
    public string NewtonLogPath => Path.Combine(_settings.Folder, "newton.csv");

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

    /// <summary>Writes the plots (and, for a stopped run, the last converged fields and checkpoints).</summary>
    public IReadOnlyList<string> Finish(RunResult result, NewtonSolver newton)
    {
        var files = new List<string>();
        if (!result.Completed)
        {
            if (_settings.Vtu && _lastVtuStep != result.StepsCompleted)
            {
                WriteFields(result.StepsCompleted, result.Lambda, newton);
            }

            foreach (var region in _model.Regions.Where(r => r.Model is IOpaqueStateMaterial))
            {
                var path = Path.Combine(_settings.Folder, $"checkpoint-{region.Name}.bin");
                using var stream = new MemoryStream();
                ((IOpaqueStateMaterial)region.Model).SaveCheckpoint(stream);
                AtomicFile.WriteBytes(path, stream.ToArray());
                files.Add(path);
            }
        }

        if (_settings.Plots)
        {
            files.AddRange(CurvePlotter.Write(_settings.Folder, _name, Curves));
        }

        return files;
    }

    /// <summary>Completes the material-point log.</summary>
    public void Dispose() => _pointLog?.Dispose();

    private void WriteFields(int step, double lambda, NewtonSolver newton)
    {
        var file = $"{_name}_{step.ToString("D4", CultureInfo.InvariantCulture)}.vtu";
        VtuWriter.Write(Path.Combine(_settings.Folder, file), _model, newton.Displacement, _projection);
        _pvd.Add(lambda, file);
        _lastVtuStep = step;
        FieldFiles++;
    }
}
