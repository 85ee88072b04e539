using FemHost.Cases;

namespace FemHost.Fem.Solution;

/// <summary>A converged increment, as reported to observers (progress line, output writers).</summary>
/// <param name="Step">Nominal step number (1-based) the increment belongs to.</param>
/// <param name="StepCount">Number of nominal steps.</param>
/// <param name="Lambda">Load factor reached.</param>
/// <param name="DeltaLambda">Size of the increment.</param>
/// <param name="Result">Newton iterations and residual history.</param>
/// <param name="Cutbacks">Consecutive cut-backs before this increment converged.</param>
/// <param name="StepCompleted">Whether the increment completes its nominal step.</param>
public sealed record IncrementReport(int Step, int StepCount, double Lambda, double DeltaLambda, IncrementResult Result, int Cutbacks, bool StepCompleted);

/// <summary>How a run ended.</summary>
/// <param name="Completed">Whether λ reached 1.</param>
/// <param name="Lambda">Last converged load factor.</param>
/// <param name="StepsCompleted">Nominal steps completed.</param>
/// <param name="Increments">Converged increments.</param>
/// <param name="Iterations">Newton iterations over the run.</param>
/// <param name="Cutbacks">Rejected increments.</param>
/// <param name="StopReason">Why the run stopped early, naming the failed point when there is one.</param>
public sealed record RunResult(bool Completed, double Lambda, int StepsCompleted, int Increments, int Iterations, int Cutbacks, string? StopReason);

/// <summary>
/// Where load stepping stands after a converged increment: everything <see cref="LoadStepper.Run"/> needs to
/// continue exactly as if it had never stopped (a checkpoint holds it). At a converged increment the
/// consecutive cut-back count is zero, so it is not part of the state.
/// </summary>
/// <param name="Step">Nominal step (1-based) the last converged increment belongs to; 1 with λ = 0 at the start.</param>
/// <param name="Lambda">Load factor reached.</param>
/// <param name="NextIncrement">Size Δλ the next increment will try (after growth or cut-backs).</param>
/// <param name="Increments">Converged increments so far.</param>
/// <param name="Iterations">Newton iterations so far (converged and rejected increments).</param>
/// <param name="Cutbacks">Rejected increments so far.</param>
public sealed record StepperState(int Step, double Lambda, double NextIncrement, int Increments, int Iterations, int Cutbacks)
{
    /// <summary>Nominal steps completed at this state.</summary>
    public int StepsCompleted(int stepCount) => Lambda >= Target(Step, stepCount) ? Step : Step - 1;

    /// <summary>The load factor at the end of nominal step <paramref name="step"/> of <paramref name="count"/>.</summary>
    public static double Target(int step, int count) => step == count ? 1.0 : (double)step / count;
}

/// <summary>
/// Load stepping with automatic step control: the load factor goes to 1 in nominal steps of 1/N; an
/// increment that fails (no convergence, a point asking for a smaller step, a failed point, a singular
/// matrix) is rejected and retried with Δλ times the suggested ratio, at most
/// <see cref="StepControl.MaxCutbacks"/> times in a row (a converged increment resets the count, so a
/// refused growth attempt never exhausts a long step) and never below <see cref="StepControl.MinIncrement"/> of
/// the nominal step (an increment that only converges when tiny would otherwise creep on); after an easy increment
/// (≤ <see cref="EasyIterations"/> iterations) Δλ grows by 1.5, never beyond the nominal step.
/// Increments never cross a nominal step boundary, so outputs fall on the nominal load factors: the rest of
/// a step is split into equal increments no larger than Δλ.
/// </summary>
public sealed class LoadStepper(NewtonSolver newton, StepControl control)
{
    /// <summary>Increments converging in at most this many iterations let the step grow.</summary>
    public const int EasyIterations = 5;

    /// <summary>Called after each converged increment.</summary>
    public event Action<IncrementReport>? IncrementConverged;

    /// <summary>Called after each rejected increment with the reason and the new increment size.</summary>
    public event Action<int, double, string>? IncrementRejected;

    /// <summary>The state after the last converged increment (the start state before the first).</summary>
    public StepperState Converged { get; private set; } = new(1, 0, 1.0 / Math.Max(1, control.Count), 0, 0, 0);

    /// <summary>Runs every nominal step from λ = 0, or from <paramref name="from"/> (a resumed run).</summary>
    public RunResult Run(StepperState? from = null, CancellationToken cancel = default)
    {
        int n = Math.Max(1, control.Count);
        double nominal = 1.0 / n;
        Converged = from ?? Converged;
        var (first, lambda, dl, increments, iterations, cutbacksTotal) = Converged;
        for (int step = first; step <= n; step++)
        {
            double target = StepperState.Target(step, n);
            int cutbacks = 0;
            while (target - lambda > 1e-12 * nominal)
            {
                cancel.ThrowIfCancellationRequested();
                // The rest of the nominal step in equal increments no larger than Δλ: no sliver at the step's end.
                double rest = target - lambda;
                double size = rest / Math.Max(1.0, Math.Ceiling(rest / dl - 1e-9));
                var result = newton.Solve(lambda, lambda + size);
                iterations += result.Iterations;
                if (result.Converged)
                {
                    newton.Commit();
                    lambda = rest - size < 1e-9 * nominal ? target : lambda + size;
                    increments++;
                    // Growth starts from the planned Δλ, not from an increment shortened to fit the step: an
                    // increment cut to meet the step boundary must not shrink the next one (that ratchet once gave
                    // thousands of increments after a single cut-back).
                    if (control.AllowGrowth && result.Iterations <= EasyIterations)
                    {
                        dl = Math.Min(1.5 * dl, nominal);
                    }

                    // The state is complete before observers run, so a checkpoint written by one resumes exactly here.
                    Converged = new StepperState(step, lambda, dl, increments, iterations, cutbacksTotal);
                    IncrementConverged?.Invoke(new IncrementReport(step, n, lambda, size, result, cutbacks, lambda >= target));
                    cutbacks = 0;
                    continue;
                }

                newton.Revert();
                cutbacks++;
                cutbacksTotal++;
                if (cutbacks > control.MaxCutbacks)
                {
                    return new RunResult(false, lambda, step - 1, increments, iterations, cutbacksTotal,
                        $"step {step}: increment λ = {lambda:G6} → {lambda + size:G6} failed after {control.MaxCutbacks} cut-backs: {result.Reason}");
                }

                dl = size * Math.Clamp(result.StepRatio, 0.01, 0.99);
                if (dl < control.MinIncrement * nominal)
                {
                    return new RunResult(false, lambda, step - 1, increments, iterations, cutbacksTotal,
                        $"step {step}: increment λ = {lambda:G6} → {lambda + size:G6} failed ({result.Reason}) and the next Δλ = {dl:G3} " +
                        $"would be below the minimum increment, {control.MinIncrement:G3} of the nominal step {nominal:G6} (steps.min_increment)");
                }

                IncrementRejected?.Invoke(step, dl, result.Reason ?? "");
            }
        }

        return new RunResult(true, 1.0, n, increments, iterations, cutbacksTotal, null);
    }
}
