using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gunicorn.Insights.Benchmarks.Reporting;

/// <summary>
/// For a parameter sweep whose cases range from sub-millisecond to seconds: BenchmarkDotNet's pilot still batches
/// the short ones into long enough iterations, but three warm-ups and five measured iterations keep the sweep short.
/// In process; a smoke run adds nothing.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    /// <summary>Five measured iterations after three warm-ups.</summary>
    public ShortRunConfig()
    {
        if (!BenchmarkInputs.Smoke)
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5)
                .WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun"));
        }
    }
}
