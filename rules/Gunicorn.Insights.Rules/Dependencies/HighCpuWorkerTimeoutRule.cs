using Gunicorn.Insights.Observations.Settings;
using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6006: workers timed out while the CPU was saturated: the host's CPUs were busy, a timed-out worker itself used a
/// full core, or at least as many processes used a full core as the host has cores. A CPU-starved worker cannot finish
/// its request or notify the master in time. One unrelated busy process on a host with spare cores does not count, nor
/// do samples taken further than <c>window</c> from the timeouts.
/// </summary>
public sealed class HighCpuWorkerTimeoutRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        CpuSaturation cpu = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<CpuUsage> samples = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        Starvation? starvation = null;

        When()
            .Match(() => timeouts)
            .Match(() => cpu, c => c.Instance == timeouts.Instance)
            .Match(() => parameters)
            .Collect(() => samples, (CpuUsage s) => s.Instance == timeouts.Instance)
            .Collect(() => hosts, (HostFacts h) => h.Instance == timeouts.Instance)
            .Let(() => starvation, () => Starvation.Find(timeouts, samples, hosts, parameters.Duration(DependenciesDescriptors.HighCpuWorkerTimeout, "window")))
            .Having(() => starvation != null);
        Then()
            .Report(DependenciesDescriptors.HighCpuWorkerTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Timeout, starvation!.Saturated.Count, starvation.Samples, CpuSaturation.SaturatedUtilization,
                    starvation.Peak, starvation.Detail)
                .Because(timeouts, starvation.Saturated.OrderByDescending(s => s.Utilization).Take(3), hosts)
                .Recommending(starvation.WorkerLimit(timeouts.Configuration, hosts)));
    }

    /// <summary>What the CPU samples near the timeouts show about workers starved of CPU.</summary>
    /// <param name="Samples">How many samples were near the timeouts.</param>
    /// <param name="Saturated">The saturated ones.</param>
    /// <param name="Peak">The highest utilisation among them.</param>
    /// <param name="Detail">How the workers were starved, as the message's closing clause.</param>
    internal sealed record Starvation(int Samples, IReadOnlyList<CpuUsage> Saturated, Percentage Peak, string Detail)
    {
        /// <summary>No more CPU-bound workers than the cores can run: at most (2 × CPU cores) + 1, when the CPU count is known.</summary>
        public SettingRecommendation[] WorkerLimit(GunicornConfiguration configuration, IReadOnlyList<HostFacts> hosts) =>
            Capacity.CapacityFacts.CpuCount(hosts) is { } cpus
                ? [Recommendations.Workers(configuration, RecommendationKind.AtMost, cpus, "no more CPU-bound workers than the cores can serve")]
                : [];

        /// <summary>
        /// Reads the samples within <paramref name="window"/> of the timeouts; null when they show only a busy process
        /// that neither timed out nor crowded out the others.
        /// </summary>
        public static Starvation? Find(WorkerTimeouts timeouts, IReadOnlyList<CpuUsage> samples, IReadOnlyList<HostFacts> hosts, TimeSpan window)
        {
            ArgumentNullException.ThrowIfNull(timeouts);
            ArgumentNullException.ThrowIfNull(samples);
            ArgumentNullException.ThrowIfNull(hosts);
            var near = samples.Where(s => TimeWindow.Near(s.Timestamp, s.Timestamp, timeouts.FirstSeen, timeouts.LastSeen, window)).ToArray();
            var saturated = near.Where(CpuSaturation.IsSaturated).ToArray();
            if (saturated.Length == 0)
            {
                return null;
            }

            var cores = hosts.Select(h => h.CpuCount).LastOrDefault(c => c is not null);
            var busyHostSamples = saturated.Count(s => s.Pid is null);
            var busyPids = saturated.Where(s => s.Pid is not null).Select(s => s.Pid!.Value).Distinct().ToArray();
            var busyTimedOut = busyPids.Where(timeouts.Pids.Contains).ToArray();
            var parts = new List<string>();
            if (busyHostSamples > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the host's CPUs were at or above {CpuSaturation.SaturatedUtilization} in {busyHostSamples} sample(s)"));
            }

            if (busyTimedOut.Length > 0)
            {
                parts.Add($"timed-out worker(s) {string.Join(", ", busyTimedOut.Select(p => p.ToString(CultureInfo.InvariantCulture)))} used a full core");
            }

            if (cores is { } cpus && busyPids.Length >= cpus)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{busyPids.Length} processes each used a full core on {cpus} CPU core(s)"));
            }

            if (parts.Count == 0)
            {
                return null;
            }

            var workers = cores is { } count ? timeouts.Configuration.WorkerCount(count) : null;
            var guideline = cores * 2 + 1;
            var crowded = workers > guideline
                ? string.Create(CultureInfo.InvariantCulture, $"; {workers} workers on {cores} core(s) is more than (2 × CPU cores) + 1 = {guideline}")
                : "";
            return new Starvation(near.Length, saturated, near.Max(s => s.Utilization), "; " + string.Join("; ", parts) + crowded);
        }
    }
}
