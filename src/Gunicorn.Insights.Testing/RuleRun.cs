using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Testing;

/// <summary>What one scenario gave: the diagnoses (reported and suppressed), the snippets' observations and read problems.</summary>
public sealed class RuleRun
{
    internal RuleRun(RuleSession session, IReadOnlyList<Observation> snippetObservations, IReadOnlyList<InputDiagnostic> problems)
    {
        Session = session;
        SnippetObservations = snippetObservations;
        Problems = problems;
        Diagnoses = session.Diagnoses;
        SuppressedDiagnoses = session.SuppressedDiagnoses;
    }

    /// <summary>The fired session, for queries the assertions do not cover (derived facts, checks, explanations).</summary>
    public RuleSession Session { get; }

    /// <summary>The reported diagnoses, most severe first, as a host sees them.</summary>
    public IReadOnlyList<Diagnosis> Diagnoses { get; }

    /// <summary>The diagnoses a suppression in the configuration applies to.</summary>
    public IReadOnlyList<Diagnosis> SuppressedDiagnoses { get; }

    /// <summary>What the readers made of the artifact snippets.</summary>
    public IReadOnlyList<Observation> SnippetObservations { get; }

    /// <summary>The problems the readers reported in the artifact snippets.</summary>
    public IReadOnlyList<InputDiagnostic> Problems { get; }

    /// <summary>Starts an expectation about the reported diagnoses of rule <paramref name="ruleId"/> (e.g. <c>GI1002</c>).</summary>
    public RuleExpectation Expect(string ruleId)
    {
        ArgumentException.ThrowIfNullOrEmpty(ruleId);
        return new RuleExpectation(this, ruleId, instance: null);
    }

    /// <summary>Asserts that the readers reported no problem in the artifact snippets.</summary>
    /// <exception cref="RuleAssertionException">They did; the message lists the problems.</exception>
    public RuleRun ExpectNoReadProblems()
    {
        if (Problems.Count > 0)
        {
            throw new RuleAssertionException($"Expected the artifact snippets to read without problems, but the readers reported {Problems.Count}:"
                + Environment.NewLine + string.Join(Environment.NewLine, Problems.Select(p => "  " + p)));
        }

        return this;
    }

    /// <summary>Everything that fired, with evidence, then suppressed diagnoses and read problems: what failure messages show.</summary>
    public string Describe() => FiringReport.Describe(this);
}
