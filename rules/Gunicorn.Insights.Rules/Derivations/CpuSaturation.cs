using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>
/// The finding "the CPU was the bottleneck on this instance": host samples at or above
/// <see cref="SaturatedUtilization"/>, or a Gunicorn process using a full core. Rules about CPU-bound latency and
/// CPU-caused timeouts match it instead of repeating the thresholds.
/// </summary>
public sealed record CpuSaturation : DerivedFact
{
    /// <summary>The utilisation from which a host sample, or a process's share of one core, counts as saturated.</summary>
    public static readonly Percentage SaturatedUtilization = new(90);

    /// <summary>Creates the finding from the saturated samples among <paramref name="samples"/>.</summary>
    public CpuSaturation(IReadOnlyList<CpuUsage> samples)
        : base([.. samples.Where(IsSaturated).OrderByDescending(s => s.Utilization).Take(3)])
    {
        Samples = samples.Count;
        SaturatedSamples = samples.Count(IsSaturated);
        Peak = samples.Max(s => s.Utilization);
        SaturatedPids = samples.Where(s => s.Pid is not null && IsSaturated(s)).Select(s => s.Pid!.Value).Distinct().ToArray();
    }

    /// <summary>How many CPU samples there were.</summary>
    public int Samples { get; init; }

    /// <summary>How many were saturated.</summary>
    public int SaturatedSamples { get; init; }

    /// <summary>The highest utilisation seen.</summary>
    public Percentage Peak { get; init; }

    /// <summary>The processes that used a full core.</summary>
    public IReadOnlyList<int> SaturatedPids { get; init; }

    /// <summary>Whether one sample is saturated.</summary>
    public static bool IsSaturated(CpuUsage sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return sample.Utilization >= SaturatedUtilization;
    }

    /// <inheritdoc />
    public override string Describe() => $"CPU saturated in {SaturatedSamples} of {Samples} samples, peak {Peak}";
}
