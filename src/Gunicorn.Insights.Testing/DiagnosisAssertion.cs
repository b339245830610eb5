using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Testing;

/// <summary>Assertions about one reported diagnosis: severity, message and evidence. Each returns the assertion, to chain.</summary>
public sealed class DiagnosisAssertion
{
    private readonly RuleRun _run;

    internal DiagnosisAssertion(RuleRun run, Diagnosis diagnosis)
    {
        _run = run;
        Diagnosis = diagnosis;
    }

    /// <summary>The diagnosis, for assertions of the test framework's own.</summary>
    public Diagnosis Diagnosis { get; }

    /// <summary>Asserts the effective severity.</summary>
    /// <exception cref="RuleAssertionException">The severity differs.</exception>
    public DiagnosisAssertion WithSeverity(Severity severity)
    {
        if (Diagnosis.Severity != severity)
        {
            throw Failure($"to be {Name(severity)}, but it is {Name(Diagnosis.Severity)}.");
        }

        return this;
    }

    /// <summary>Asserts the whole message.</summary>
    /// <exception cref="RuleAssertionException">The message differs.</exception>
    public DiagnosisAssertion WithMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.Equals(Diagnosis.Message, message, StringComparison.Ordinal))
        {
            throw Failure($"to have the message{Environment.NewLine}  \"{message}\"{Environment.NewLine}but it has{Environment.NewLine}  \"{Diagnosis.Message}\"");
        }

        return this;
    }

    /// <summary>Asserts that the message contains every fragment (ordinal, case-sensitive).</summary>
    /// <exception cref="RuleAssertionException">A fragment is missing; the message names it.</exception>
    public DiagnosisAssertion WithMessageContaining(params string[] fragments)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        foreach (var fragment in fragments)
        {
            if (!Diagnosis.Message.Contains(fragment, StringComparison.Ordinal))
            {
                throw Failure($"to have a message containing \"{fragment}\", but it is{Environment.NewLine}  \"{Diagnosis.Message}\"");
            }
        }

        return this;
    }

    /// <summary>
    /// Asserts that the evidence includes each location, written as <c>file:line</c> (or the bare source name when it has
    /// no line, e.g. <c>gunicorn defaults</c>); other evidence may be present too.
    /// </summary>
    /// <exception cref="RuleAssertionException">A location is missing; the message lists the evidence.</exception>
    public DiagnosisAssertion WithEvidenceAt(params string[] locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var present = Diagnosis.Evidence.Select(e => e.Location.ToString()).ToHashSet(StringComparer.Ordinal);
        var missing = locations.Where(l => !present.Contains(l)).ToArray();
        if (missing.Length > 0)
        {
            throw Failure($"to have evidence at {string.Join(", ", missing)}, but its evidence is:{Environment.NewLine}{Evidence()}");
        }

        return this;
    }

    /// <summary>Asserts that the evidence is exactly these locations, in this order.</summary>
    /// <exception cref="RuleAssertionException">The evidence differs; the message lists it.</exception>
    public DiagnosisAssertion WithEvidenceExactlyAt(params string[] locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        if (!Diagnosis.Evidence.Select(e => e.Location.ToString()).SequenceEqual(locations, StringComparer.Ordinal))
        {
            throw Failure($"to have evidence at exactly {string.Join(", ", locations)}, but its evidence is:{Environment.NewLine}{Evidence()}");
        }

        return this;
    }

    /// <summary>Asserts that some piece of evidence's text contains <paramref name="fragment"/>.</summary>
    /// <exception cref="RuleAssertionException">None does; the message lists the evidence.</exception>
    public DiagnosisAssertion WithEvidenceContaining(string fragment)
    {
        ArgumentException.ThrowIfNullOrEmpty(fragment);
        if (!Diagnosis.Evidence.Any(e => e.Text.Contains(fragment, StringComparison.Ordinal)))
        {
            throw Failure($"to have evidence containing \"{fragment}\", but its evidence is:{Environment.NewLine}{Evidence()}");
        }

        return this;
    }

    /// <summary>Asserts the instance the diagnosis is about.</summary>
    /// <exception cref="RuleAssertionException">It is about another instance, or none.</exception>
    public DiagnosisAssertion AboutInstance(string? instance)
    {
        if (!string.Equals(Diagnosis.Instance, instance, StringComparison.Ordinal))
        {
            throw Failure($"to be about instance {instance ?? "(none)"}, but it is about {Diagnosis.Instance ?? "(none)"}.");
        }

        return this;
    }

    /// <summary>Starts an expectation about another rule in the same run.</summary>
    public RuleExpectation AndExpect(string ruleId) => _run.Expect(ruleId);

    private RuleAssertionException Failure(string expectation) =>
        new($"Expected {Diagnosis.Id} {expectation}{Environment.NewLine}The diagnosis:{Environment.NewLine}{FiringReport.Describe(Diagnosis)}");

    private string Evidence() => Diagnosis.Evidence.Count == 0
        ? "  (none)"
        : string.Join(Environment.NewLine, Diagnosis.Evidence.Select(e => "  " + e));

    private static string Name(Severity severity) => severity.ToString().ToLowerInvariant();
}
