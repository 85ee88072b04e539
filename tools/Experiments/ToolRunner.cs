using System.Diagnostics;
using System.Text;

namespace FemHost.Experiments;

/// <summary>
/// Runs a tool as a child process: shows its latest output line as a live progress line on stderr (tools
/// redraw progress with '\r', so the streams are split on both '\r' and '\n'), keeps the whole output in a
/// log file, and turns a non-zero exit into an <see cref="ExperimentException"/> quoting the first line the
/// tool wrote to stderr (our tools state their error there first, then perhaps a usage text) and the last lines.
/// </summary>
public static class ToolRunner
{
    private const int TailLines = 12;

    /// <summary>Runs <c>dotnet ASSEMBLY ARGS</c> in <paramref name="workingDirectory"/>; output goes to <paramref name="logFile"/>.</summary>
    public static void Run(ToolPath tool, IReadOnlyList<string> arguments, string workingDirectory, string logFile)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(arguments);
        tool.EnsureBuilt();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool.Assembly);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        string commandLine = $"{tool.Name} {string.Join(' ', arguments.Select(Quote))}";
        var tail = new Queue<string>();
        string? firstError = null;
        var progress = new ProgressLine(tool.Name);
        using var log = new StreamWriter(logFile, append: false, Encoding.UTF8);
        log.WriteLine($"$ {commandLine}");
        var gate = new object();
        void OnLine(string line, bool complete, bool fromStderr)
        {
            lock (gate)
            {
                if (complete)
                {
                    if (fromStderr && firstError is null && line.Trim().Length > 0)
                    {
                        firstError = line;
                    }

                    log.WriteLine(line);
                    tail.Enqueue(line);
                    if (tail.Count > TailLines)
                    {
                        tail.Dequeue();
                    }
                }

                progress.Show(line, complete);
            }
        }

        using var process = Process.Start(start)
            ?? throw new ExperimentException($"could not start 'dotnet' to run {tool.Name}: is the .NET SDK on PATH?");
        var readers = new[]
        {
            Task.Run(() => Pump(process.StandardOutput, (line, complete) => OnLine(line, complete, fromStderr: false))),
            Task.Run(() => Pump(process.StandardError, (line, complete) => OnLine(line, complete, fromStderr: true))),
        };
        process.WaitForExit();
        Task.WaitAll(readers);
        progress.Finish();
        log.WriteLine($"exit code {process.ExitCode}");
        if (process.ExitCode != 0)
        {
            string error = firstError is not null && !tail.Contains(firstError) ? $"Its error: {firstError} " : "";
            throw new ExperimentException(
                $"{tool.Name} exited with code {process.ExitCode} (command: {commandLine}; full output in '{logFile}'). " +
                $"{error}Its last lines: {string.Join(" | ", tail)}");
        }
    }

    /// <summary>Reads a stream and reports each segment ended by '\n' (complete line) or '\r' (progress redraw).</summary>
    private static void Pump(StreamReader reader, Action<string, bool> onLine)
    {
        var buffer = new char[4096];
        var current = new StringBuilder();
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                char c = buffer[i];
                if (c is '\n' or '\r')
                {
                    if (current.Length > 0)
                    {
                        onLine(current.ToString(), c == '\n');
                        current.Clear();
                    }
                }
                else
                {
                    current.Append(c);
                }
            }
        }

        if (current.Length > 0)
        {
            onLine(current.ToString(), true);
        }
    }

    private static string Quote(string a) => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a;

    /// <summary>One self-overwriting status line on an interactive stderr; plain complete lines otherwise.</summary>
    private sealed class ProgressLine(string prefix)
    {
        private readonly bool _interactive = !Console.IsErrorRedirected;
        private int _shown;

        public void Show(string line, bool complete)
        {
            if (_interactive)
            {
                int width = Math.Max(40, SafeWidth() - 1);
                string text = $"  [{prefix}] {line}";
                if (text.Length > width)
                {
                    text = text[..width];
                }

                Console.Error.Write('\r' + text.PadRight(Math.Max(_shown, text.Length)));
                _shown = text.Length;
            }
            else if (complete)
            {
                Console.Error.WriteLine($"  [{prefix}] {line}");
            }
        }

        public void Finish()
        {
            if (_interactive && _shown > 0)
            {
                Console.Error.Write('\r' + new string(' ', _shown) + '\r');
            }
        }

        private static int SafeWidth()
        {
            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
            }
            catch (IOException)
            {
                return 120;
            }
        }
    }
}
