using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using FemHost.Cases;
using FemHost.Fem.Solution;
using FemHost.Output;

namespace FemHost.Checkpoints;

/// <summary>
/// The binary checkpoint file <c>checkpoint.femhost</c> in a run's output folder (docs/checkpoints.md):
/// the magic "FEMHOSTC", the format version, the writing host and SDK versions, the case fingerprint, the
/// state, and a SHA-256 of everything before it, so a truncated or corrupted file is recognised instead of
/// restoring garbage. Written atomically (temporary file + rename): a kill while writing leaves the previous
/// checkpoint in place. Little-endian, arrays as a count and raw IEEE-754 values (bit-exact).
/// </summary>
public static class CheckpointFile
{
    /// <summary>Version of the layout below; a checkpoint of another version is refused.</summary>
    public const int FormatVersion = 2;

    /// <summary>File name of the checkpoint in the output folder.</summary>
    public const string FileName = "checkpoint.femhost";

    private static readonly byte[] Magic = "FEMHOSTC"u8.ToArray();

    /// <summary>Path of the checkpoint of a run writing into <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    /// <summary>Writes <paramref name="checkpoint"/> atomically to <paramref name="path"/>; returns the size in bytes.</summary>
    public static long Write(string path, Checkpoint checkpoint)
    {
        long size = 0;
        AtomicFile.Write(path, file =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var hashing = new HashingStream(file, hash))
            using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                w.Write(checkpoint.HostVersion);
                w.Write(checkpoint.SdkVersion);
                w.Write(checkpoint.CaseHash);
                WriteBody(w, checkpoint);
            }

            file.Write(hash.GetHashAndReset());
            size = file.Length;
        });
        return size;
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/> and checks that this host can resume it for the case with
    /// fingerprint <paramref name="caseHash"/>.
    /// </summary>
    /// <exception cref="UserInputException">No checkpoint, a corrupt one, another format or host version, or another case.</exception>
    public static Checkpoint Read(string path, string caseHash, string hostVersion, string sdkVersion)
    {
        const string Fresh = "run the case without --resume to start it afresh";
        if (!File.Exists(path))
        {
            throw new UserInputException($"{path}: no checkpoint to resume from; expected the checkpoint a run of this case writes " +
                $"into its output folder (every output.checkpoint_every steps and when it stops): {Fresh}");
        }

        InputFile.Check(path, "the checkpoint", "a checkpoint written by `femhost run`", InputFile.MaxCheckpointBytes);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 4 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new UserInputException($"{path}: not a femhost checkpoint (it does not start with the FEMHOSTC header); expected a checkpoint written by `femhost run`: {Fresh}");
        }

        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
        {
            throw new UserInputException($"{path}: the checkpoint is corrupt (its SHA-256 checksum does not match: truncated or modified); " +
                $"expected an intact checkpoint: restore it from a copy, or {Fresh}");
        }

        using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 32), Encoding.UTF8);
        r.ReadBytes(Magic.Length);
        int format = r.ReadInt32();
        if (format != FormatVersion)
        {
            throw new UserInputException($"{path}: checkpoint format version {format} cannot be read by this host; expected version {FormatVersion}: " +
                $"resume with the femhost that wrote it, or {Fresh}");
        }

        string host = r.ReadString(), sdk = r.ReadString(), hash = r.ReadString();
        if (host != hostVersion || sdk != sdkVersion)
        {
            throw new UserInputException($"{path}: the checkpoint was written by {host} (material SDK {sdk}) and this is {hostVersion} (material SDK {sdkVersion}); " +
                $"expected the same host version, because the state layout and the numerics may differ between versions: resume with {host}, or {Fresh}");
        }

        if (hash != caseHash)
        {
            throw new UserInputException($"{path}: the checkpoint belongs to a different case (fingerprint {hash[..12]}…, this case {caseHash[..12]}…): " +
                "the mesh, materials, boundary conditions, loads, step count or outputs changed since it was written; expected the case file that wrote it " +
                $"(only the solver settings, max_cutbacks, min_increment, allow_growth, plots and checkpoint_every may change): restore that case, or {Fresh}");
        }

        try
        {
            return ReadBody(r, hash, host, sdk);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException)
        {
            throw new UserInputException($"{path}: the checkpoint is corrupt ({e.Message}); expected a checkpoint written by `femhost run`: {Fresh}", e);
        }
    }

    private static void WriteBody(BinaryWriter w, Checkpoint c)
    {
        var s = c.Stepper;
        w.Write(s.Step);
        w.Write(s.Lambda);
        w.Write(s.NextIncrement);
        w.Write(s.Increments);
        w.Write(s.Iterations);
        w.Write(s.Cutbacks);
        w.Write(c.FullStorage);
        WriteArray(w, c.Displacement);
        WriteArray(w, c.LastIncrement);
        w.Write(c.LastStep);
        w.Write(c.Regions.Count);
        foreach (var region in c.Regions)
        {
            w.Write(region.Name);
            w.Write(region.Plugin);
            w.Write(region.PluginVersion);
            WriteArray(w, region.Strain);
            WriteArray(w, region.Stress);
            WriteArray(w, region.State);
            w.Write(region.Opaque is not null);
            if (region.Opaque is not null)
            {
                w.Write(region.Opaque.Length);
                w.Write(region.Opaque);
            }
        }

        var o = c.Output;
        w.Write(o.CreatedUtc.ToBinary());
        w.Write(o.NewtonLog);
        w.Write(o.Increments);
        w.Write(o.Curves.Count);
        foreach (var row in o.Curves)
        {
            WriteArray(w, row);
        }

        w.Write(o.Fields.Count);
        foreach (var (lambda, file) in o.Fields)
        {
            w.Write(lambda);
            w.Write(file);
        }

        w.Write(o.LastFieldStep);
        w.Write(o.PointLog.Count);
        foreach (var block in o.PointLog)
        {
            w.Write(block.Lambda);
            w.Write(block.Regions.Length);
            foreach (var rows in block.Regions)
            {
                WriteArray(w, rows);
            }
        }

        w.Write(o.PointLogPhi.Count);
        foreach (var phi in o.PointLogPhi)
        {
            WriteArray(w, phi);
        }
    }

    private static Checkpoint ReadBody(BinaryReader r, string hash, string host, string sdk)
    {
        var stepper = new StepperState(r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        bool full = r.ReadBoolean();
        var u = ReadArray(r);
        var lastIncrement = ReadArray(r);
        double lastStep = r.ReadDouble();
        var regions = new RegionCheckpoint[Count(r)];
        for (int i = 0; i < regions.Length; i++)
        {
            string name = r.ReadString(), plugin = r.ReadString(), version = r.ReadString();
            double[] strain = ReadArray(r), stress = ReadArray(r), state = ReadArray(r);
            byte[]? opaque = r.ReadBoolean() ? r.ReadBytes(Count(r)) : null;
            regions[i] = new RegionCheckpoint(name, plugin, version, strain, stress, state, opaque);
        }

        var created = DateTime.FromBinary(r.ReadInt64());
        string newton = r.ReadString();
        int increments = r.ReadInt32();
        var curves = new double[Count(r)][];
        for (int i = 0; i < curves.Length; i++)
        {
            curves[i] = ReadArray(r);
        }

        var fields = new (double, string)[Count(r)];
        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = (r.ReadDouble(), r.ReadString());
        }

        int lastField = r.ReadInt32();
        var log = new PointLogBlock[Count(r)];
        for (int i = 0; i < log.Length; i++)
        {
            double lambda = r.ReadDouble();
            var rows = new double[Count(r)][];
            for (int k = 0; k < rows.Length; k++)
            {
                rows[k] = ReadArray(r);
            }

            log[i] = new PointLogBlock(lambda, rows);
        }

        var phi = new double[Count(r)][];
        for (int i = 0; i < phi.Length; i++)
        {
            phi[i] = ReadArray(r);
        }

        if (r.BaseStream.Position != r.BaseStream.Length)
        {
            throw new InvalidDataException($"{r.BaseStream.Length - r.BaseStream.Position} unexpected bytes after the state");
        }

        return new Checkpoint(hash, host, sdk, stepper, full, u, lastIncrement, lastStep, regions,
            new OutputCursor(created, newton, increments, curves, fields, lastField, log, phi));
    }

    private static void WriteArray(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static double[] ReadArray(BinaryReader r)
    {
        int n = Count(r);
        var bytes = r.ReadBytes(checked(n * sizeof(double)));
        if (bytes.Length != n * sizeof(double))
        {
            throw new EndOfStreamException("the file ends inside an array");
        }

        return MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    private static int Count(BinaryReader r)
    {
        int n = r.ReadInt32();
        return n >= 0 && n <= r.BaseStream.Length - r.BaseStream.Position ? n
            : throw new InvalidDataException($"a count of {n} does not fit in the file");
    }

    /// <summary>A write-only pass-through stream that feeds every byte to a hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
