using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gunicorn.Insights.Benchmarks.Reporting;

/// <summary>
/// BenchmarkDotNet's default measurement (pilot, warm-up, as many iterations as the statistics need), in process, so no
/// separate build per benchmark. A smoke run adds nothing: it brings its own single-run job.
/// </summary>
public sealed class InProcessConfig : ManualConfig
{
    /// <summary>The default job, in process.</summary>
    public InProcessConfig()
    {
        if (!BenchmarkInputs.Smoke)
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
        }
    }
}
