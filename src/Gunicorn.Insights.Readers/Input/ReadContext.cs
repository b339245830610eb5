using System.Text;
using System.Text.Unicode;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Readers.Input;

/// <summary>
/// What a reader reads into: observations, input problems (capped per input so garbage cannot flood a report), and
/// the counters of the input summary. One per input.
/// </summary>
public sealed class ReadContext
{
    /// <summary>How many problems one input reports individually; the rest are counted in one closing line.</summary>
    public const int MaximumProblemsPerInput = 50;

    private readonly List<Observation> _observations = [];
    private readonly List<InputDiagnostic> _problems = [];
    private readonly IReadOnlyList<ConfigParameter> _knownParameters;
    private int _suppressedProblems;
    private bool _reportedInvalidUtf8;

    /// <summary>Creates a context for the input named <paramref name="sourceName"/>.</summary>
    public ReadContext(string sourceName, string? instance = null, IReadOnlyList<ConfigParameter>? knownParameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        SourceName = sourceName;
        Instance = instance;
        _knownParameters = knownParameters ?? [];
    }

    /// <summary>The input's name (its path), used in every location.</summary>
    public string SourceName { get; }

    /// <summary>The instance the input describes, when the user named one; observations without an instance get it.</summary>
    public string? Instance { get; }

    /// <summary>
    /// Configuration read from earlier inputs of the same batch (configuration files are read first), e.g. the
    /// <c>access_log_format</c> an access log was written with.
    /// </summary>
    public IReadOnlyList<ConfigParameter> KnownParameters => _knownParameters;

    /// <summary>Lines read so far.</summary>
    public long Lines { get; internal set; }

    /// <summary>Bytes read so far (decompressed).</summary>
    public long Bytes { get; internal set; }

    /// <summary>The earliest timestamp seen.</summary>
    public DateTimeOffset? FirstTimestamp { get; private set; }

    /// <summary>The latest timestamp seen.</summary>
    public DateTimeOffset? LastTimestamp { get; private set; }

    /// <summary>The observations read.</summary>
    public IReadOnlyList<Observation> Observations => _observations;

    /// <summary>The problems found, with a closing count when more than <see cref="MaximumProblemsPerInput"/>.</summary>
    public IReadOnlyList<InputDiagnostic> Problems => _suppressedProblems == 0
        ? _problems
        : [.. _problems, new InputDiagnostic(new SourceLocation(SourceName), InputDiagnosticSeverity.Warning,
            $"{_suppressedProblems} more problem(s) in this input were not listed")];

    /// <summary>The location of <paramref name="line"/> in this input.</summary>
    public SourceLocation At(long line) => new(SourceName, line > int.MaxValue ? int.MaxValue : (int)line);

    /// <summary>Adds an observation; one without an instance gets the input's.</summary>
    public void Add(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _observations.Add(observation.Instance is null && Instance is not null ? observation with { Instance = Instance } : observation);
    }

    /// <summary>Records a problem at <paramref name="line"/> (0 for the whole input).</summary>
    public void Report(long line, InputDiagnosticSeverity severity, string message)
    {
        if (_problems.Count >= MaximumProblemsPerInput)
        {
            _suppressedProblems++;
            return;
        }

        _problems.Add(new InputDiagnostic(line > 0 ? At(line) : new SourceLocation(SourceName), severity, message));
    }

    /// <summary>Records a skipped or approximated part of the input.</summary>
    public void Warn(long line, string message) => Report(line, InputDiagnosticSeverity.Warning, message);

    /// <summary>Widens the time span the input covers.</summary>
    public void SawTimestamp(DateTimeOffset timestamp)
    {
        if (FirstTimestamp is null || timestamp < FirstTimestamp)
        {
            FirstTimestamp = timestamp;
        }

        if (LastTimestamp is null || timestamp > LastTimestamp)
        {
            LastTimestamp = timestamp;
        }
    }

    /// <summary>
    /// Decodes a line as UTF-8; invalid sequences become U+FFFD and the first such line of the input is reported.
    /// </summary>
    public string Text(ReadOnlySpan<byte> line, long number)
    {
        if (!_reportedInvalidUtf8 && !Utf8.IsValid(line))
        {
            ReportInvalidUtf8(number);
        }

        return Encoding.UTF8.GetString(line);
    }

    /// <summary>True once a line with invalid UTF-8 was reported (only the first one is).</summary>
    internal bool ReportedInvalidUtf8 => _reportedInvalidUtf8;

    /// <summary>Reports the first line with invalid UTF-8.</summary>
    internal void ReportInvalidUtf8(long number)
    {
        _reportedInvalidUtf8 = true;
        Warn(number, "invalid UTF-8; the bad bytes were replaced (further lines with invalid UTF-8 are not listed)");
    }
}
