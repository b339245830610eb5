// Benchmarks of the readers and the rule engine (BenchmarkDotNet), and the generator of their large inputs.
//   generate --kind error-log|access-log --size 512MB --out FILE [--seed N]
//   smoke [BenchmarkDotNet options]   every benchmark once, in process, on small inputs (CI)
//   [BenchmarkDotNet options]         the measured run, e.g. --filter '*ErrorLog*'
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gunicorn.Insights.Benchmarks;
using Gunicorn.Insights.Benchmarks.Generation;
using Gunicorn.Insights.Benchmarks.Reporting;

if (args is ["generate", .. var options])
{
    return GenerateCommand.Run(options);
}

BenchmarkInputs.Smoke = args is ["smoke", ..] || args.Contains("--smoke");
var rest = args.Where(a => a is not ("smoke" or "--smoke")).ToArray();
IConfig config = DefaultConfig.Instance
    .AddColumn(new ThroughputColumn(), StatisticColumn.OperationsPerSecond)
    .WithOptions(ConfigOptions.JoinSummary);
if (BenchmarkInputs.Smoke)
{
    // One invocation each, in this process: proves every benchmark runs without measuring anything.
    config = config.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));
    if (!rest.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f"))
    {
        rest = [.. rest, "--filter", "*"];
    }
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkInputs).Assembly).Run(rest, config).ToList();
var failed = summaries.Count == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Length == 0 || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
