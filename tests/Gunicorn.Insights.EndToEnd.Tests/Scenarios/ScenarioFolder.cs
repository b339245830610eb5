using System.Text;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gunicorn.Insights.EndToEnd.Tests.Scenarios;

/// <summary>
/// The fresh temporary folder of one scenario: every configuration, socket, pid file, log and capture of the servers
/// it starts lives here (never in the system's /etc or /run). Deleted when the scenario passes; kept, with its path
/// printed, when it fails, and the failure message carries the captured logs and the diagnoses.
/// </summary>
internal sealed class ScenarioFolder : IDisposable
{
    /// <summary>How many last lines of each captured file a failure message shows.</summary>
    private const int TailLines = 60;

    private readonly ITestOutputHelper _output;
    private bool _passed;

    /// <summary>Creates the folder for the scenario <paramref name="name"/>.</summary>
    public ScenarioFolder(ITestOutputHelper output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Root = Directory.CreateTempSubdirectory($"gunicorn-insights-e2e-{name}-").FullName;
    }

    /// <summary>The folder's absolute path.</summary>
    public string Root { get; }

    /// <summary>The absolute path of <paramref name="relative"/> inside the folder; its parent folder is created.</summary>
    public string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="assertions"/> over <paramref name="analysis"/>. The diagnoses go to the test output either way;
    /// when an assertion fails, its message is extended with the diagnoses and the tail of every captured file.
    /// </summary>
    public void Verify(ScenarioAnalysis analysis, Action assertions) => Verify([analysis], assertions);

    /// <summary>Runs <paramref name="assertions"/> over the analyses of several runs of one scenario.</summary>
    public void Verify(IReadOnlyList<ScenarioAnalysis> analyses, Action assertions)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        ArgumentNullException.ThrowIfNull(assertions);
        var described = string.Join(Environment.NewLine, analyses.Select(a => a.Describe()));
        _output.WriteLine(described);
        try
        {
            assertions();
        }
        catch (Exception e)
        {
            throw new XunitException($"{e.Message}{Environment.NewLine}{Environment.NewLine}{described}{Environment.NewLine}{CapturedFiles()}", e);
        }

        _passed = true;
    }

    /// <summary>The tail of every file the scenario captured, each under its path.</summary>
    public string CapturedFiles()
    {
        var text = new StringBuilder($"Captured files (the folder {Root} is kept):").AppendLine();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            // Sockets read as empty files; pid files say nothing.
            if (new FileInfo(file).Length == 0 || file.EndsWith(".pid", StringComparison.Ordinal))
            {
                continue;
            }

            string content;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                content = reader.ReadToEnd();
            }
            catch (IOException)
            {
                continue;
            }

            if (Path.GetFileName(file) == "cmdline")
            {
                // A /proc/PID/cmdline copy separates its arguments with NUL bytes.
                content = content.Replace('\0', ' ');
            }
            else if (content.Contains('\0', StringComparison.Ordinal))
            {
                text.AppendLine($"----- {file} (binary, not shown) -----");
                continue;
            }

            var lines = content.Split('\n');
            var shown = lines.Length > TailLines ? lines[^TailLines..] : lines;
            text.AppendLine($"----- {file} ({lines.Length} lines{(lines.Length > TailLines ? $", last {TailLines}" : "")}) -----");
            foreach (var line in shown)
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    /// <summary>Deletes the folder after a passed scenario; keeps it, and says where, after a failed one.</summary>
    public void Dispose()
    {
        if (_passed)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException e)
            {
                _output.WriteLine($"could not delete {Root}: {e.Message}");
            }
        }
        else
        {
            _output.WriteLine($"The scenario failed; its folder is kept: {Root}");
        }
    }
}
