using System.Diagnostics;
using System.Globalization;

namespace Gunicorn.Insights.EndToEnd.Tests.Scenarios;

/// <summary>
/// What the host itself says, saved as a user would hand it over: the output of <c>nproc</c> and a copy of
/// <c>/proc/mounts</c>, in the scenario's <c>host/</c> folder.
/// </summary>
internal sealed record HostSnapshot(int Cpus, IReadOnlyList<string> Artifacts)
{
    /// <summary>Runs <c>nproc</c> and copies <c>/proc/mounts</c> into <paramref name="scenario"/>'s folder.</summary>
    public static HostSnapshot Take(ScenarioFolder scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var nproc = scenario.PathOf("host/nproc.txt");
        using (var process = Process.Start(new ProcessStartInfo("/usr/bin/nproc") { RedirectStandardOutput = true, UseShellExecute = false })!)
        {
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            File.WriteAllText(nproc, text);
        }

        var mounts = scenario.PathOf("host/mounts");
        File.Copy("/proc/mounts", mounts);
        return new HostSnapshot(int.Parse(File.ReadAllText(nproc).Trim(), CultureInfo.InvariantCulture), [nproc, mounts]);
    }
}
