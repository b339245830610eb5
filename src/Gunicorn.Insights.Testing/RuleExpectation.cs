using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Testing;

/// <summary>An expectation about how often one rule ID was reported in a run, optionally for one instance.</summary>
public sealed class RuleExpectation
{
    private readonly string? _instance;

    internal RuleExpectation(RuleRun run, string ruleId, string? instance)
    {
        Run = run;
        RuleId = ruleId;
        _instance = instance;
    }

    /// <summary>The run the expectation is about.</summary>
    public RuleRun Run { get; }

    /// <summary>The rule ID.</summary>
    public string RuleId { get; }

    /// <summary>The reported diagnoses with the rule ID (and instance, when one is set).</summary>
    public IReadOnlyList<Diagnosis> Matching =>
        Run.Diagnoses.Where(d => d.Id == RuleId && (_instance is null || d.Instance == _instance)).ToArray();

    /// <summary>Only counts diagnoses about <paramref name="instance"/>.</summary>
    public RuleExpectation ForInstance(string instance)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        return new RuleExpectation(Run, RuleId, instance);
    }

    /// <summary>Asserts that the rule was reported exactly once, and returns that diagnosis for further assertions.</summary>
    /// <exception cref="RuleAssertionException">It was reported another number of times; the message lists what fired.</exception>
    public DiagnosisAssertion FiresOnce() => Fires(1)[0];

    /// <summary>Asserts that the rule was reported exactly <paramref name="times"/> times, and returns those diagnoses in report order.</summary>
    /// <exception cref="RuleAssertionException">It was reported another number of times; the message lists what fired.</exception>
    public IReadOnlyList<DiagnosisAssertion> Fires(int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        var matching = Matching;
        if (matching.Count != times)
        {
            throw Failure($"to fire {Times(times)}, but it fired {Times(matching.Count)}.");
        }

        return matching.Select(d => new DiagnosisAssertion(Run, d)).ToArray();
    }

    /// <summary>Asserts that the rule was not reported, and returns the run for further expectations.</summary>
    /// <exception cref="RuleAssertionException">It was; the message lists what fired.</exception>
    public RuleRun IsSilent()
    {
        var matching = Matching;
        if (matching.Count > 0)
        {
            throw Failure($"to stay silent, but it fired {Times(matching.Count)}.");
        }

        return Run;
    }

    private RuleAssertionException Failure(string expectation)
    {
        var subject = _instance is null ? RuleId : $"{RuleId} for {_instance}";
        return new RuleAssertionException($"Expected {subject} {expectation}" + Environment.NewLine + Run.Describe());
    }

    private static string Times(int count) => count switch
    {
        0 => "0 times",
        1 => "once",
        _ => $"{count} times",
    };
}
