using System.Diagnostics;
using System.Security.Cryptography;
using FemHost.Cases;
using FemHost.Fem;
using FemHost.Output;
using FemHost.Tests.Support;

namespace FemHost.Tests;

/// <summary>
/// Hostile input and faults of the environment (issue 18), the part of the bad-input corpus that needs more than
/// a static file: inputs generated at run time (100 000 levels of YAML), devices and FIFOs, two runs at once, a
/// full disk, a crash beside finished results. Truth checked for each: the documented exit code (2 a user error,
/// 3 a stopped run), one paragraph without a stack trace that says what was expected, and nothing lost: earlier
/// results stay byte for byte as they were and nothing is written outside the output folder.
/// </summary>
public sealed class HostileInputTests
{
    private static string Corpus => Path.Combine(RepoPaths.Root, "tests", "assets", "bad-input");

    [Theory]
    [InlineData("validate", "[", "]")]
    [InlineData("run", "[", "]")]
    [InlineData("point", "{a: ", "}")]
    public void YAML_nested_100000_levels_deep_is_refused_at_the_level_that_is_too_deep(string verb, string open, string close)
    {
        // The recursive YAML loader would overflow the stack (exit 134, nothing to catch); the depth is bounded first.
        var path = RepoPaths.TempFile("deep.yaml", "# nested 100 000 levels\nmesh: " + string.Concat(Enumerable.Repeat(open, 100_000)) + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n");
        var (code, _, err) = FemhostCli.Run(verb, path, "--plugin-dir", RepoPaths.HostPlugins);
        UserError.AssertOneParagraph(code, err);
        Assert.Contains($"{path}:2:", err, StringComparison.Ordinal);
        Assert.Contains($"more than {YamlSection.MaxDepth} levels deep", err, StringComparison.Ordinal);
    }

    [Fact]
    public void YAML_nested_a_few_levels_deep_is_read()
    {
        // The bound refuses only what no case needs: a 20-level parameter value still parses (and is then judged by the plug-in).
        var path = RepoPaths.TempFile("nested.yaml", "mesh: {rectangle: {width: 1, height: 1, nx: 1, ny: 1}}\nmaterials: {soil: {model: Elastic, parameters: {E: 1, nu: 0.3}}}\n" +
            "regions: {all: soil}\nsteps: {count: 1}\nsolver: " + string.Concat(Enumerable.Repeat("{a: ", 20)) + "1" + new string('}', 20) + "\n");
        var e = Assert.Throws<UserInputException>(() => CaseReader.Load(path));
        Assert.Contains("unknown key 'a' in 'solver'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_rectangle_is_refused_by_validate_and_run_before_it_is_generated()
    {
        var path = Path.Combine(Corpus, "case-mesh-huge-rectangle.yaml");
        foreach (var verb in new[] { "validate", "run" })
        {
            var clock = Stopwatch.StartNew();
            var (code, _, err) = FemhostCli.Run(verb, path, "--plugin-dir", RepoPaths.HostPlugins);
            UserError.AssertOneParagraph(code, err);
            Assert.Contains($"{path}:3:3: the case needs about ", err, StringComparison.Ordinal);
            Assert.Contains("90,000,000,000 Gauss points", err, StringComparison.Ordinal); // 10¹⁰ elements × 3 × 3
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{verb} took {clock.Elapsed}: the mesh must not have been generated");
        }
    }

    [Fact]
    public void A_rectangle_whose_node_numbers_would_overflow_is_refused_even_when_the_memory_guard_lets_it_pass()
    {
        // FEMHOST_MEMORY_LIMIT may claim any amount: the mesh generator itself refuses what int node numbers cannot hold.
        var e = Assert.Throws<UserInputException>(() => FemHost.Fem.Meshes.StructuredMesh.Rectangle(new RectangleMesh(1, 1, 100_000, 100_000)));
        Assert.Contains("rectangle mesh with 100000 × 100000 elements is too large to number; expected at most 1,073,741,823 nodes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_file_larger_than_its_bound_is_refused_before_it_is_read()
    {
        // A sparse 17 MiB file: nothing is written to disk, and the reader must not try to load it.
        var path = Path.Combine(RepoPaths.TempFolder(), "huge.yaml");
        using (var f = new FileStream(path, FileMode.CreateNew))
        {
            f.SetLength(17L << 20);
        }

        var (code, _, err) = FemhostCli.Run("validate", path);
        UserError.AssertOneParagraph(code, err);
        Assert.Contains($"cannot read the case file '{path}': it holds 17,825,792 bytes, more than the 16,777,216 accepted; expected a readable YAML file of at most 16 MiB", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_file_that_is_a_device_or_a_folder_is_refused_without_reading_it()
    {
        foreach (var (path, kind) in new[] { ("/dev/zero", "a character device"), (RepoPaths.TempFolder(), "a directory") })
        {
            var (code, _, err) = FemhostCli.Run("validate", path);
            UserError.AssertOneParagraph(code, err);
            Assert.Contains($"cannot read the case file '{path}': it is {kind}, not a regular file; expected a readable YAML file", err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_mesh_that_is_a_FIFO_is_refused_instead_of_blocking_on_it()
    {
        var folder = RepoPaths.TempFolder();
        var fifo = Path.Combine(folder, "mesh.msh");
        using (var mk = Process.Start("mkfifo", fifo))
        {
            mk.WaitForExit();
            Assert.Equal(0, mk.ExitCode);
        }

        var path = Path.Combine(folder, "case.yaml");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(Corpus, "case-gmsh-dev-zero.yaml")).Replace("/dev/zero", "mesh.msh", StringComparison.Ordinal));
        var (code, _, err) = FemhostCli.Run("run", path, "--plugin-dir", RepoPaths.HostPlugins);
        UserError.AssertOneParagraph(code, err);
        Assert.Contains($"{path}:3:9: cannot read 'mesh.gmsh' '{fifo}': it is a FIFO (named pipe), not a regular file", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_that_is_a_link_to_dev_zero_is_refused_on_resume()
    {
        var path = CheckpointTests.WriteFaultyCase(steps: 2);
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "checkpoint.femhost"), "/dev/zero");
        var (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        UserError.AssertOneParagraph(code, err);
        Assert.Contains("holds 'checkpoint.femhost', a symbolic link that no femhost run writes, so the folder is not replaced", err, StringComparison.Ordinal);

        // Nor is a link followed where an unfinished run's folder should be (the checkpoint is read only after this check).
        Directory.Move(output, output + ".partial");
        (code, _, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        UserError.AssertOneParagraph(code, err);
        Assert.Contains("out.partial' holds 'checkpoint.femhost', a symbolic link", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_run_on_a_folder_another_run_holds_is_refused_and_the_first_loses_nothing()
    {
        // Two real processes: the first (60 steps, a checkpoint every step) holds the lock while the second starts.
        var path = CheckpointTests.WriteFaultyCase(steps: 60);
        var staging = Path.Combine(Path.GetDirectoryName(path)!, "out.partial");
        using var first = FemhostProcess.Start(null, "run", path, "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!File.Exists(Path.Combine(staging, "curves.csv")) && !first.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.False(first.HasExited, "the first run ended before the second could start: make the case slower");
        var (code, _, err) = FemhostProcess.Run(null, "run", path, "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        first.WaitForExit();
        UserError.AssertOneParagraph(code, err);
        Assert.Contains("is being written by another femhost run (it holds the lock ", err, StringComparison.Ordinal);
        Assert.Equal(0, first.ExitCode);
        var rows = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(path)!, "out", "curves.csv"));
        Assert.Equal(61, rows.Length);
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void A_run_that_crashes_beside_finished_results_leaves_them_byte_for_byte_and_resumes_from_its_own_folder()
    {
        var path = CheckpointTests.WriteFaultyCase(steps: 6);
        var (code, _, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 0, err);
        string output = Path.Combine(Path.GetDirectoryName(path)!, "out"), staging = output + ".partial";
        var before = Hashes(output);
        var reference = Path.Combine(RepoPaths.TempFolder(), "reference");
        CopyFolder(output, reference);

        var c = CaseReader.Load(path);
        var catalog = Plugins.PluginCatalog.Discover([RepoPaths.TestPlugins("faulty")]);
        Assert.Throws<OperationCanceledException>(() => Simulation.Run(c, catalog.Get, TextWriter.Null,
            r => { if (r.StepCompleted && r.Step == 4) { throw new OperationCanceledException("crash"); } }));
        Assert.Equal(before, Hashes(output));
        Assert.True(File.Exists(Path.Combine(staging, "checkpoint.femhost")), "the crashed run's own checkpoint is kept beside");

        (code, var log, err) = FemhostCli.Run("run", path, "--resume", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 0, err + log);
        Assert.Contains($"resuming from {staging}", log, StringComparison.Ordinal);
        CheckpointTests.AssertSameFiles(reference, output);
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void An_output_folder_holding_other_files_is_never_replaced()
    {
        var path = CheckpointTests.WriteFaultyCase(steps: 2);
        var folder = RepoPaths.TempFolder();
        var thesis = Path.Combine(folder, "thesis.tex");
        File.WriteAllText(thesis, "months of work");
        var (code, _, err) = FemhostCli.Run("run", path, "--output", folder, "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        UserError.AssertOneParagraph(code, err);
        Assert.Contains("holds 'thesis.tex', a file that no femhost run writes, so the folder is not replaced", err, StringComparison.Ordinal);
        Assert.Equal("months of work", File.ReadAllText(thesis));
        Assert.Equal(["thesis.tex"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.False(Directory.Exists(folder + ".partial"));
    }

    [Fact]
    public void The_command_lines_output_may_be_anywhere_writable_and_an_unwritable_one_is_refused()
    {
        var path = CheckpointTests.WriteFaultyCase(steps: 2);
        var elsewhere = Path.Combine(RepoPaths.TempFolder(), "deep", "results");
        var (code, output, err) = FemhostCli.Run("run", path, "--output", elsewhere, "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 0, err);
        Assert.Contains($"results: {elsewhere}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(elsewhere, "curves.csv")));

        (code, _, err) = FemhostCli.Run("run", path, "--output", "/proc/femhost-out", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        UserError.AssertOneParagraph(code, err);
        Assert.Contains("output folder '/proc/femhost-out' cannot be created or written", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_point_output_that_is_an_existing_folder_is_refused_from_the_file_and_from_the_command_line()
    {
        var folder = RepoPaths.TempFolder();
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        var driver = Path.Combine(folder, "driver.yaml");
        File.WriteAllText(driver, File.ReadAllText(Path.Combine(Corpus, "point-output-escapes.yaml")).Replace("../../victim.csv", "sub", StringComparison.Ordinal));
        var (code, _, err) = FemhostCli.Run("point", driver, "--plugin-dir", RepoPaths.HostPlugins);
        UserError.AssertOneParagraph(code, err);
        Assert.Contains($"{driver}:7:9: the output '{Path.Combine(folder, "sub")}' is an existing folder; expected the path of a CSV file", err, StringComparison.Ordinal);

        (code, _, err) = FemhostCli.Run("point", driver, "--output", folder, "--plugin-dir", RepoPaths.HostPlugins);
        UserError.AssertOneParagraph(code, err);
        Assert.Contains($"the output '{folder}' is an existing folder", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_file_name_that_is_no_safe_name_gives_a_safe_default_name()
    {
        var folder = RepoPaths.TempFolder();
        var path = Path.Combine(folder, "my case (v2).yaml");
        File.Copy(CheckpointTests.WriteFaultyCase(steps: 1), path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("name: block\n", "", StringComparison.Ordinal));
        Assert.Equal("my_case__v2_", CaseReader.Load(path).Name);
    }

    [Fact]
    public void A_material_provided_by_two_plugins_is_named_in_a_warning_with_the_one_taken()
    {
        var copy = Path.Combine(RepoPaths.TempFolder(), "FemHost.Materials.Elastic");
        CopyFolder(RepoPaths.ElasticFolder, copy);
        var path = RepoPaths.TempFile("case.yaml", File.ReadAllText(Path.Combine(RepoPaths.Root, "cases", "elastic-compression.yaml")));
        var (code, output, err) = FemhostCli.Run("validate", path, "--plugin-dir", copy, "--plugin-dir", RepoPaths.HostPlugins);
        Assert.True(code == 0, err);
        Assert.Contains($"warning: material 'Elastic' is provided by two plug-ins; using {Path.Combine(copy, "FemHost.Materials.Elastic.dll")} (found first", output, StringComparison.Ordinal);
        Assert.Contains($"ignoring {Path.Combine(RepoPaths.ElasticFolder, "FemHost.Materials.Elastic.dll")}", output, StringComparison.Ordinal);
    }

    [TmpfsFact]
    public void A_full_disk_stops_the_run_keeps_the_previous_results_and_its_checkpoint_and_the_run_resumes_once_there_is_space()
    {
        using var disk = new Tmpfs(megabytes: 64);
        var path = Path.Combine(disk.Folder, "case.yaml");
        File.Copy(CheckpointTests.WriteFaultyCase(steps: 30), path);
        var (code, log, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 0, err + log);
        string output = Path.Combine(disk.Folder, "out"), staging = output + ".partial";
        var before = Hashes(output);
        var reference = Path.Combine(RepoPaths.TempFolder(), "reference");
        CopyFolder(output, reference);

        // Leave room for about half of a second run beside the first.
        long used = Directory.GetFiles(output).Sum(f => new FileInfo(f).Length);
        var filler = Path.Combine(disk.Folder, "filler");
        File.WriteAllBytes(filler, new byte[Math.Max(0, new DriveInfo(disk.Folder).AvailableFreeSpace - (used / 2))]);

        (code, log, err) = FemhostCli.Run("run", path, "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 3, $"exit {code}: {err}{log}");
        Assert.Contains("reason: no space left on the device (or disk quota exceeded) while writing results", log, StringComparison.Ordinal);
        Assert.Contains($"The previous results in {output} are untouched; this run's results so far are in {staging} and its last checkpoint", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log + err, StringComparison.Ordinal);
        Assert.Equal(before, Hashes(output));
        Assert.True(File.Exists(Path.Combine(staging, "checkpoint.femhost")));

        File.Delete(filler);
        (code, log, err) = FemhostCli.Run("run", path, "--resume", "--quiet", "--plugin-dir", RepoPaths.TestPlugins("faulty"));
        Assert.True(code == 0, err + log);
        CheckpointTests.AssertSameFiles(reference, output);
        Assert.False(Directory.Exists(staging));
    }

    [TmpfsFact]
    public void A_full_disk_stops_the_point_driver_and_keeps_its_previous_csv()
    {
        using var disk = new Tmpfs(megabytes: 1);
        var driver = Path.Combine(disk.Folder, "driver.yaml");
        File.WriteAllText(driver, File.ReadAllText(Path.Combine(RepoPaths.Root, "cases", "points", "uniaxial-strain.yaml")));
        var (code, _, err) = FemhostCli.Run("point", driver, "--output", Path.Combine(disk.Folder, "point.csv"), "--plugin-dir", RepoPaths.HostPlugins);
        Assert.True(code == 0, err);
        var before = File.ReadAllBytes(Path.Combine(disk.Folder, "point.csv"));
        File.WriteAllBytes(Path.Combine(disk.Folder, "filler"), new byte[new DriveInfo(disk.Folder).AvailableFreeSpace - (before.Length / 2)]);

        (code, _, err) = FemhostCli.Run("point", driver, "--output", Path.Combine(disk.Folder, "point.csv"), "--plugin-dir", RepoPaths.HostPlugins);
        UserError.AssertOneParagraph(code, err, expectedCode: 3);
        Assert.Contains("no space left on the device", err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(disk.Folder, "point.csv")));
        Assert.Empty(Directory.GetFiles(disk.Folder, "*.tmp"));
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
