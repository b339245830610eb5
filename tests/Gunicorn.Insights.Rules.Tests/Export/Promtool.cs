using System.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Export;

/// <summary>Runs Prometheus' promtool (Debian's prometheus package); CI installs it, so there it must exist.</summary>
internal static class Promtool
{
    public static string? Path { get; } = Find();

    public static bool IsRequired => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException(
            "promtool is not installed, and CI=true requires it: apt-get install --no-install-recommends prometheus"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("promtool did not finish within two minutes");
        }

        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, "promtool"))
            .FirstOrDefault(File.Exists);
}
