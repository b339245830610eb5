using Gunicorn.Insights.Benchmarks.Generation;

namespace Gunicorn.Insights.Benchmarks;

/// <summary>
/// Where the benchmarks' generated inputs live (outside the repository: <c>GUNICORN_INSIGHTS_BENCH_DATA</c>, or a
/// folder under the temporary directory), and whether this is a smoke run (each benchmark once, on small inputs).
/// </summary>
public static class BenchmarkInputs
{
    /// <summary>A smoke run: tiny inputs and parameters, one invocation each, to prove the benchmarks still run.</summary>
    public static bool Smoke { get; set; }

    /// <summary>The folder generated inputs are kept in.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("GUNICORN_INSIGHTS_BENCH_DATA") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "gunicorn-insights-bench");

    /// <summary>A generated error log of <paramref name="megabytes"/> MiB, written on first use.</summary>
    public static string ErrorLog(int megabytes) => Ensure("error-log", Path.Combine(Folder, $"error-{megabytes}mb", "error.log"), megabytes);

    /// <summary>A folder with a generated access log of <paramref name="megabytes"/> MiB and its gunicorn.conf.py.</summary>
    public static string AccessLogFolder(int megabytes)
    {
        var log = Ensure("access-log", Path.Combine(Folder, $"access-{megabytes}mb", "access.log"), megabytes);
        return Path.GetDirectoryName(log)!;
    }

    /// <summary>The bundled incident of one host (docs/examples/incident-web-1), copied beside the program.</summary>
    public static string TypicalHost => Path.Combine(AppContext.BaseDirectory, "incident-web-1");

    private static string Ensure(string kind, string path, int megabytes)
    {
        if (!File.Exists(path))
        {
            GenerateCommand.Generate(kind, (long)megabytes << 20, path);
        }

        return path;
    }
}
