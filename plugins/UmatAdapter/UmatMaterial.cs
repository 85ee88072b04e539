using System.Globalization;
using System.Text;
using FemHost.MaterialSdk;

namespace FemHost.Materials.UmatAdapter;

/// <summary>What a model instance passes to UMAT besides the point data.</summary>
/// <param name="Props">PROPS(1..NPROPS).</param>
/// <param name="Nstatv">NSTATV.</param>
/// <param name="Cmname">CMNAME as given (upper-cased and blank-padded to 80 characters on the call).</param>
/// <param name="Celent">CELENT.</param>
/// <param name="ThreadSafe">Whether calls may run concurrently (otherwise they are serialised per library).</param>
/// <param name="Label">The UMAT's file name, for messages.</param>
internal sealed record UmatCallSettings(double[] Props, int Nstatv, string Cmname, double Celent, bool ThreadSafe, string Label);

/// <summary>
/// One material of a case evaluated by an Abaqus UMAT, one call per point with the Abaqus/Standard signature
/// (gfortran: every argument by reference, CMNAME's hidden length appended as size_t).
/// <para>
/// Conventions. Abaqus and the SDK agree on everything that crosses: plane strain has NDI = 3 direct and NSHR = 1
/// shear components, NTENS = 4, in the order 11, 22, 33, 12 (3D: NSHR = 3, NTENS = 6, order 11, 22, 33, 12, 13, 23);
/// STRAN and DSTRAN hold engineering shear γ = 2ε; STRESS holds tensor shear σ12; tension is positive. The vectors
/// are therefore copied component for component. DDSDDE(I, J) = ∂Δσ_I/∂Δε_J is a column-major Fortran array and the
/// SDK tangent is row-major, so DDSDDE is transposed on the way out (D[i·n + j] = DDSDDE(i + 1, j + 1)).
/// </para>
/// <para>
/// State: the host stores STATEV(1..NSTATV) followed by SSE, SPD and SCD (the specific elastic strain energy, plastic
/// and creep dissipation Abaqus passes in and out), so every call starts from the committed values, Newton
/// iterations have no side effects and checkpoints carry them. STATEV starts at zero unless the library has
/// SUBROUTINE SDVINI, which is then called once per point.
/// </para>
/// <para>
/// Results: PNEWDT &lt; 1 is <see cref="PointStatus.SmallerStep"/> with that ratio; NaN or ∞ in STRESS, DDSDDE,
/// STATEV or the energies, a DDSDDE left zero, a write past STATEV(NSTATV), XIT, STOP, ERROR STOP and
/// STDB_ABQERR errors are failed points: the host cuts the increment back and, when that does not help, stops
/// with the reason. Non-finite input is failed without calling UMAT.
/// </para>
/// </summary>
internal sealed unsafe class UmatMaterial : IMaterialModel
{
    private const int Guard = 16;          // doubles past STATEV(NSTATV) that must come back untouched
    private const long GuardBits = 0x7FF8_0000_5A7E_0F17;   // a NaN payload no arithmetic produces
    private const int MessageCapacity = 512;
    private const int MaxNotes = 20;       // STDB_ABQERR information/warning lines printed per instance

    // Offsets (in doubles) of the arrays of one call in the per-batch scratch buffer.
    private readonly int _stress, _statev, _ddsdde, _sse, _spd, _scd, _rpl, _ddsddt, _drplde, _drpldt, _stran, _dstran,
        _time, _dtime, _temp, _dtemp, _predef, _dpred, _props, _coords, _drot, _pnewdt, _celent, _dfgrd0, _dfgrd1, _size;

    private readonly UmatLibrary _library;
    private readonly UmatCallSettings _settings;
    private readonly byte[] _cmname = new byte[80];
    private readonly int _n, _m;
    private int _notes;

    public UmatMaterial(MaterialMetadata metadata, ModellingHypothesis hypothesis, UmatLibrary library, UmatCallSettings settings)
    {
        (Metadata, Hypothesis, _library, _settings) = (metadata, hypothesis, library, settings);
        _n = Voigt.Size(hypothesis);
        _m = settings.Nstatv;
        Encoding.ASCII.GetBytes(settings.Cmname.ToUpperInvariant().PadRight(80), _cmname);
        int at = 0;
        int Next(int count)
        {
            int start = at;
            at += count;
            return start;
        }

        _stress = Next(_n);
        _statev = Next(_m + Guard);
        _ddsdde = Next(_n * _n);
        (_sse, _spd, _scd, _rpl) = (Next(1), Next(1), Next(1), Next(1));
        (_ddsddt, _drplde, _drpldt) = (Next(_n), Next(_n), Next(1));
        (_stran, _dstran) = (Next(_n), Next(_n));
        (_time, _dtime, _temp, _dtemp, _predef, _dpred) = (Next(2), Next(1), Next(1), Next(1), Next(1), Next(1));
        _props = Next(Math.Max(1, settings.Props.Length));
        (_coords, _drot, _pnewdt, _celent, _dfgrd0, _dfgrd1) = (Next(3), Next(9), Next(1), Next(1), Next(9), Next(9));
        _size = at;
    }

    /// <inheritdoc/>
    public MaterialMetadata Metadata { get; }

    /// <inheritdoc/>
    public ModellingHypothesis Hypothesis { get; }

    /// <summary>Integer arguments, in this order in the per-call int buffer.</summary>
    private enum I
    {
        Ndi, Nshr, Ntens, Nstatv, Nprops, Noel, Npt, Layer, Kspt, Kstep, Kinc, Ncrds, Count,
    }

    /// <inheritdoc/>
    public void Initialize(in MaterialInitialization init)
    {
        var state = init.State.Span;
        state.Clear();
        if (_library.Sdvini == 0 || _m == 0)
        {
            return;
        }

        int d = MaterialBatch.Dimension(Hypothesis), width = _m + 3;
        var statev = new double[_m + Guard];
        var ints = new int[(int)I.Count];
        var coords = new double[3];
        var message = new byte[MessageCapacity];
        var args = new nint[8];
        var ids = init.PointIds.Span;
        var xyz = init.Coordinates.Span;
        for (int p = 0; p < init.Count; p++)
        {
            Array.Clear(statev);
            SetGuards(statev, _m);
            coords[0] = xyz[p * d];
            coords[1] = xyz[p * d + 1];
            coords[2] = d == 3 ? xyz[p * d + 2] : 0.0;
            ints[(int)I.Nstatv] = _m;
            ints[(int)I.Ncrds] = d;
            ints[(int)I.Noel] = ids[p] + 1;
            ints[(int)I.Npt] = 1;
            ints[(int)I.Layer] = ints[(int)I.Kspt] = 1;
            int outcome;
            fixed (double* sv = statev, c = coords)
            fixed (int* k = ints)
            fixed (byte* msg = message)
            fixed (nint* a = args)
            {
                a[0] = (nint)sv;
                a[1] = (nint)c;
                a[2] = (nint)(k + (int)I.Nstatv);
                a[3] = (nint)(k + (int)I.Ncrds);
                a[4] = (nint)(k + (int)I.Noel);
                a[5] = (nint)(k + (int)I.Npt);
                a[6] = (nint)(k + (int)I.Layer);
                a[7] = (nint)(k + (int)I.Kspt);
                if (UmatLibrary.HasSupport)
                {
                    outcome = UmatLibrary.SdviniTrampoline(_library.Sdvini, (void**)a, msg, MessageCapacity);
                }
                else
                {
                    ((delegate* unmanaged<double*, double*, int*, int*, int*, int*, int*, int*, void>)_library.Sdvini)(
                        sv, c, k + (int)I.Nstatv, k + (int)I.Ncrds, k + (int)I.Noel, k + (int)I.Npt, k + (int)I.Layer, k + (int)I.Kspt);
                    outcome = 0;
                }
            }

            string? fault = (UmatOutcome)outcome switch
            {
                UmatOutcome.Returned or UmatOutcome.ReturnedWithNote => null,
                _ => Text(message),
            };
            fault ??= GuardsIntact(statev, _m) ? null : $"SDVINI wrote past STATEV(NSTATV = {_m})";
            fault ??= statev.Take(_m).Any(x => !double.IsFinite(x)) ? "SDVINI returned a non-finite STATEV" : null;
            if (fault is not null)
            {
                throw new InvalidOperationException($"{_settings.Label}: {fault} (point {ids[p]})");
            }

            statev.AsSpan(0, _m).CopyTo(state.Slice(p * width, _m));
        }
    }

    /// <inheritdoc/>
    public void Integrate(in MaterialBatch batch)
    {
        if (_settings.ThreadSafe)
        {
            Run(batch);
            return;
        }

        lock (_library.Gate)
        {
            Run(batch);
        }
    }

    private void Run(in MaterialBatch batch)
    {
        var scratch = new double[_size];
        var ints = new int[(int)I.Count];
        var cmname = new byte[80];
        var message = new byte[MessageCapacity];
        var args = new nint[37];
        Span<double> f = stackalloc double[9];
        var status = batch.Status.Span;
        int n = _n, m = _m, np = _settings.Props.Length, d = MaterialBatch.Dimension(batch.Hypothesis);
        fixed (double* w = scratch)
        fixed (int* k = ints)
        fixed (byte* name = cmname, msg = message)
        fixed (nint* a = args)
        {
            nint[] pointers =
            [
                (nint)(w + _stress), (nint)(w + _statev), (nint)(w + _ddsdde), (nint)(w + _sse), (nint)(w + _spd), (nint)(w + _scd),
                (nint)(w + _rpl), (nint)(w + _ddsddt), (nint)(w + _drplde), (nint)(w + _drpldt), (nint)(w + _stran), (nint)(w + _dstran),
                (nint)(w + _time), (nint)(w + _dtime), (nint)(w + _temp), (nint)(w + _dtemp), (nint)(w + _predef), (nint)(w + _dpred),
                (nint)name, (nint)(k + (int)I.Ndi), (nint)(k + (int)I.Nshr), (nint)(k + (int)I.Ntens), (nint)(k + (int)I.Nstatv),
                (nint)(w + _props), (nint)(k + (int)I.Nprops), (nint)(w + _coords), (nint)(w + _drot), (nint)(w + _pnewdt),
                (nint)(w + _celent), (nint)(w + _dfgrd0), (nint)(w + _dfgrd1), (nint)(k + (int)I.Noel), (nint)(k + (int)I.Npt),
                (nint)(k + (int)I.Layer), (nint)(k + (int)I.Kspt), (nint)(k + (int)I.Kstep), (nint)(k + (int)I.Kinc),
            ];
            pointers.CopyTo(args, 0);
            for (int i = 0; i < batch.Count; i++)
            {
                var p = batch.Point(i);
                if (!Finite(p.Strain) || !Finite(p.StrainIncrement) || !Finite(p.StressOld) || !Finite(p.StateOld))
                {
                    status[i] = PointStatus.Failed("non-finite strain, strain increment, stress or state at the start of the increment (not passed to the UMAT)");
                    continue;
                }

                // Inputs, fresh for every call (a UMAT may write to any argument).
                new Span<double>(w, _size).Clear();
                for (int c = 0; c < n; c++)
                {
                    w[_stress + c] = p.StressOld[c];
                    w[_stran + c] = p.Strain[c];
                    w[_dstran + c] = p.StrainIncrement[c];
                }

                for (int c = 0; c < m; c++)
                {
                    w[_statev + c] = p.StateOld[c];
                }

                for (int g = 0; g < Guard; g++)
                {
                    ((long*)(w + _statev + m))[g] = GuardBits;
                }

                (w[_sse], w[_spd], w[_scd]) = (p.StateOld[m], p.StateOld[m + 1], p.StateOld[m + 2]);
                w[_time] = w[_time + 1] = batch.Time;
                w[_dtime] = batch.TimeIncrement;
                _settings.Props.AsSpan().CopyTo(new Span<double>(w + _props, np));
                w[_coords] = p.Coordinates[0];
                w[_coords + 1] = p.Coordinates[1];
                w[_coords + 2] = d == 3 ? p.Coordinates[2] : 0.0;
                w[_drot] = w[_drot + 4] = w[_drot + 8] = 1.0;
                w[_pnewdt] = 1.0e36;     // "a large value", as Abaqus sets it before each call
                w[_celent] = _settings.Celent;
                Deformation(p.Strain, null, f, w + _dfgrd0);
                Deformation(p.Strain, p.StrainIncrement, f, w + _dfgrd1);
                k[(int)I.Ndi] = 3;
                k[(int)I.Nshr] = n - 3;
                k[(int)I.Ntens] = n;
                k[(int)I.Nstatv] = m;
                k[(int)I.Nprops] = np;
                k[(int)I.Noel] = p.Id + 1;
                k[(int)I.Npt] = 1;
                k[(int)I.Layer] = k[(int)I.Kspt] = k[(int)I.Kstep] = 1;
                k[(int)I.Kinc] = Increment(batch.Time, batch.TimeIncrement);
                _cmname.CopyTo(cmname, 0);

                int outcome;
                if (UmatLibrary.HasSupport)
                {
                    outcome = UmatLibrary.Trampoline(_library.Umat, (void**)a, 80, msg, MessageCapacity);
                }
                else
                {
                    // No support library (no compiler on this machine, a prebuilt library): the exact Abaqus signature.
                    ((delegate* unmanaged<double*, double*, double*, double*, double*, double*, double*, double*, double*, double*,
                        double*, double*, double*, double*, double*, double*, double*, double*, byte*, int*, int*, int*, int*,
                        double*, int*, double*, double*, double*, double*, double*, double*, int*, int*, int*, int*, int*, int*, nuint, void>)_library.Umat)(
                        w + _stress, w + _statev, w + _ddsdde, w + _sse, w + _spd, w + _scd, w + _rpl, w + _ddsddt, w + _drplde, w + _drpldt,
                        w + _stran, w + _dstran, w + _time, w + _dtime, w + _temp, w + _dtemp, w + _predef, w + _dpred, name,
                        k + (int)I.Ndi, k + (int)I.Nshr, k + (int)I.Ntens, k + (int)I.Nstatv, w + _props, k + (int)I.Nprops,
                        w + _coords, w + _drot, w + _pnewdt, w + _celent, w + _dfgrd0, w + _dfgrd1, k + (int)I.Noel, k + (int)I.Npt,
                        k + (int)I.Layer, k + (int)I.Kspt, k + (int)I.Kstep, k + (int)I.Kinc, 80);
                    outcome = 0;
                }

                status[i] = Outcome((UmatOutcome)outcome, message, w, p.Id);
                if (!status[i].IsOk)
                {
                    continue;
                }

                // Outputs: STRESS and STATEV as they are, DDSDDE transposed from Fortran's column-major order.
                for (int r = 0; r < n; r++)
                {
                    p.Stress[r] = w[_stress + r];
                    for (int c = 0; c < n; c++)
                    {
                        p.Tangent[r * n + c] = w[_ddsdde + r + c * n];
                    }
                }

                new ReadOnlySpan<double>(w + _statev, m).CopyTo(p.State);
                (p.State[m], p.State[m + 1], p.State[m + 2]) = (w[_sse], w[_spd], w[_scd]);
            }
        }
    }

    /// <summary>The status of a point from how the call ended and what it returned.</summary>
    private PointStatus Outcome(UmatOutcome outcome, byte[] message, double* w, int id)
    {
        string label = _settings.Label;
        switch (outcome)
        {
            case UmatOutcome.Returned:
                break;
            case UmatOutcome.ReturnedWithNote:
                if (Interlocked.Increment(ref _notes) <= MaxNotes)
                {
                    Console.Error.WriteLine($"femhost: UMAT {label} (point {id}): {Text(message)}" +
                        (_notes == MaxNotes ? " [further messages of this material are not shown]" : ""));
                }

                break;
            case UmatOutcome.ReturnedWithError:
                return PointStatus.Failed($"{label}: the UMAT reported an error (STDB_ABQERR, LOP = -2): {Text(message)}");
            case UmatOutcome.Abort:
                return PointStatus.Failed($"{label}: the UMAT reported an error and asked to stop (STDB_ABQERR, LOP = -3): {Text(message)}");
            default:
                return PointStatus.Failed($"{label}: {Text(message)}");
        }

        for (int g = 0; g < Guard; g++)
        {
            if (((long*)(w + _statev + _m))[g] != GuardBits)
            {
                return PointStatus.Failed($"{label}: the UMAT wrote STATEV({_m + g + 1}), past NSTATV = {_m}; expected nstatv to cover every state variable it uses");
            }
        }

        double pnewdt = w[_pnewdt];
        if (!(pnewdt >= 1.0))
        {
            return PointStatus.SmallerStep(pnewdt > 0 ? pnewdt : 0.25,
                $"{label}: the UMAT set PNEWDT = {pnewdt.ToString("G4", CultureInfo.InvariantCulture)} (asks for a smaller increment)");
        }

        int n = _n;
        string? bad = First(w + _stress, n, i => $"STRESS({i + 1})")
            ?? First(w + _ddsdde, n * n, i => $"DDSDDE({i % n + 1},{i / n + 1})")
            ?? First(w + _statev, _m, i => $"STATEV({i + 1})")
            ?? First(w + _sse, 3, i => i switch { 0 => "SSE", 1 => "SPD", _ => "SCD" });
        if (bad is not null)
        {
            return PointStatus.Failed($"{label}: the UMAT returned a non-finite {bad}");
        }

        bool zero = true;
        for (int i = 0; i < n * n && zero; i++)
        {
            zero = w[_ddsdde + i] == 0;
        }

        return zero ? PointStatus.Failed($"{label}: the UMAT left DDSDDE zero; expected the Jacobian ∂Δσ/∂Δε") : PointStatus.Ok;
    }

    private static string? First(double* v, int count, Func<int, string> name)
    {
        for (int i = 0; i < count; i++)
        {
            if (!double.IsFinite(v[i]))
            {
                return $"{name(i)} = {v[i].ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }

    /// <summary>
    /// KINC: 1 for the increment that starts the analysis (t_n = 0), otherwise 1 + t_n/Δt rounded (the increment
    /// number when increments are equal; at least 2), so a UMAT's "IF (KINC .EQ. 1)" initialisation runs only at the start.
    /// </summary>
    private static int Increment(double time, double dt) =>
        time <= 0 ? 1 : Math.Max(2, dt > 0 && time / dt < int.MaxValue / 2 ? 1 + (int)Math.Round(time / dt) : 2);

    /// <summary>DFGRD: small strain, no rotation: F = I + ε (of ε_n, or of ε_n + Δε), a symmetric 3×3 (column-major = row-major).</summary>
    private static void Deformation(ReadOnlySpan<double> strain, ReadOnlySpan<double> increment, Span<double> t, double* f)
    {
        Span<double> e = stackalloc double[strain.Length];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = strain[i] + (increment.IsEmpty ? 0 : increment[i]);
        }

        Voigt.StrainToTensor(e, t);
        for (int i = 0; i < 9; i++)
        {
            f[i] = t[i] + (i % 4 == 0 ? 1.0 : 0.0);
        }
    }

    private static bool Finite(ReadOnlySpan<double> v)
    {
        foreach (var x in v)
        {
            if (!double.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    private static void SetGuards(double[] statev, int m)
    {
        for (int g = 0; g < Guard; g++)
        {
            statev[m + g] = BitConverter.Int64BitsToDouble(GuardBits);
        }
    }

    private static bool GuardsIntact(double[] statev, int m)
    {
        for (int g = 0; g < Guard; g++)
        {
            if (BitConverter.DoubleToInt64Bits(statev[m + g]) != GuardBits)
            {
                return false;
            }
        }

        return true;
    }

    private static string Text(byte[] message)
    {
        int end = Array.IndexOf(message, (byte)0);
        var text = Encoding.UTF8.GetString(message, 0, end < 0 ? message.Length : end).Trim();
        return text.Length == 0 ? "no message" : text.ReplaceLineEndings(" ");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The library stays loaded for the life of the process (see UmatLibrary).
        GC.SuppressFinalize(this);
    }
}
