using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gunicorn.Insights.Benchmarks.Reporting;

/// <summary>
/// For benchmarks whose one invocation takes seconds (hundreds of megabytes of log, millions of facts): three measured
/// runs after one warm-up instead of BenchmarkDotNet's pilot and dozens of iterations. In process, so no separate
/// build per benchmark, with a timeout long enough for a session over 10 000 hosts (minutes). A smoke run adds
/// nothing: it brings its own single-run job.
/// </summary>
public sealed class LongRunConfig : ManualConfig
{
    /// <summary>Three measured iterations after one warm-up.</summary>
    public LongRunConfig()
    {
        if (!BenchmarkInputs.Smoke)
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)).WithId("LongRun"));
        }
    }
}
