using System.Globalization;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>
/// The finding "the worker pool ran out of free workers on this instance": busy-worker samples at full capacity, or a
/// proxy that could not even connect because the listen backlog was full. Capacity, queueing and dependency rules
/// match it instead of repeating how saturation is recognised.
/// </summary>
public sealed record WorkerPoolSaturation : DerivedFact
{
    /// <summary>The share of samples at capacity from which the pool counts as saturated.</summary>
    public static readonly Percentage SaturatedShareThreshold = new(10);

    /// <summary>The fewest samples at capacity that count (one full sample is a moment, not saturation).</summary>
    public const int MinimumSaturatedSamples = 3;

    /// <summary>Creates the finding.</summary>
    public WorkerPoolSaturation(GunicornConfiguration configuration, IReadOnlyList<WorkerUtilization> samples,
        IReadOnlyList<LogSignature> backlogOverflows)
        : base([.. samples.Where(s => s.Busy >= s.Total).Take(3), .. backlogOverflows, configuration[GunicornSettingCatalog.Workers.Name]])
    {
        Configuration = configuration;
        Instance = configuration.Instance;
        Samples = samples.Count;
        SaturatedSamples = samples.Count(s => s.Total > 0 && s.Busy >= s.Total);
        BacklogOverflows = backlogOverflows.Sum(s => s.Count);
        Capacity = samples.Count > 0 ? samples.Max(s => s.Total) : null;
    }

    /// <summary>The instance's effective configuration.</summary>
    public GunicornConfiguration Configuration { get; init; }

    /// <summary>How many busy-worker samples there were.</summary>
    public int Samples { get; init; }

    /// <summary>How many samples had every worker busy.</summary>
    public int SaturatedSamples { get; init; }

    /// <summary>The share of samples with every worker busy.</summary>
    public Percentage SaturatedShare => Samples == 0 ? new Percentage(0) : Percentage.FromRatio(SaturatedSamples / (double)Samples);

    /// <summary>Connection attempts the proxy logged as refused for a full backlog (<c>connect() … failed (11: Resource temporarily unavailable)</c>).</summary>
    public long BacklogOverflows { get; init; }

    /// <summary>The number of workers (× threads) the samples saw, when there were samples.</summary>
    public int? Capacity { get; init; }

    /// <summary>True when the evidence shows saturation rather than a passing moment.</summary>
    public bool IsSaturated =>
        BacklogOverflows > 0 || (SaturatedSamples >= MinimumSaturatedSamples && SaturatedShare >= SaturatedShareThreshold);

    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"all {Capacity} workers busy in {SaturatedSamples} of {Samples} samples ({SaturatedShare})")
        + (BacklogOverflows > 0 ? string.Create(CultureInfo.InvariantCulture, $", {BacklogOverflows} connection(s) refused for a full backlog") : "");
}
