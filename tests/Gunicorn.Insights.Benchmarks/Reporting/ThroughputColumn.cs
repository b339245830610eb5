using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Gunicorn.Insights.Benchmarks.Reporting;

/// <summary>MiB read per second: the input size (the <c>MegaBytes</c> parameter) over the mean time of one read.</summary>
public sealed class ThroughputColumn : IColumn
{
    /// <summary>The parameter that holds the input size in MiB.</summary>
    public const string SizeParameter = "MegaBytes";

    /// <inheritdoc />
    public string Id => nameof(ThroughputColumn);

    /// <inheritdoc />
    public string ColumnName => "MiB/s";

    /// <inheritdoc />
    public bool AlwaysShow => false;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Input size over the mean time of one read (MiB per second)";

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) =>
        summary is not null && summary.BenchmarksCases.Any(c => c.Parameters.Items.Any(p => p.Name == SizeParameter));

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == SizeParameter)?.Value;
        if (size is not int megabytes || summary[benchmarkCase]?.ResultStatistics is not { } statistics || statistics.Mean <= 0)
        {
            return "-";
        }

        return (megabytes / (statistics.Mean / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
    }
}
