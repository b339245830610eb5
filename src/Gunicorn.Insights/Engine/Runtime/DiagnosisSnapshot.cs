using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>
/// Puts live diagnoses in their reporting order, gives each a key, links diagnoses that share evidence, and splits off
/// the suppressed ones.
/// </summary>
internal static class DiagnosisSnapshot
{
    public static (IReadOnlyList<Diagnosis> Reported, IReadOnlyList<Diagnosis> Suppressed) Arrange(List<Diagnosis> live)
    {
        // OrderBy is stable: within one rule ID and instance, diagnoses keep the order in which their matches were found.
        var ordered = live
            .OrderByDescending(d => d.Severity)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.Instance, StringComparer.Ordinal)
            .ToList();

        var counters = new Dictionary<(string, string?), int>();
        var keys = new string[ordered.Count];
        var byFact = new Dictionary<object, List<int>>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < ordered.Count; i++)
        {
            var diagnosis = ordered[i];
            var group = (diagnosis.Id, diagnosis.Instance);
            counters[group] = counters.GetValueOrDefault(group) + 1;
            keys[i] = $"{diagnosis.Id}/{diagnosis.Instance ?? "*"}/{counters[group]}";
            foreach (var evidence in diagnosis.Evidence)
            {
                if (evidence.Fact is { } fact)
                {
                    if (!byFact.TryGetValue(fact, out var sharing))
                    {
                        sharing = [];
                        byFact[fact] = sharing;
                    }

                    if (sharing.Count == 0 || sharing[^1] != i)
                    {
                        sharing.Add(i);
                    }
                }
            }
        }

        var reported = new List<Diagnosis>();
        var suppressed = new List<Diagnosis>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var related = new SortedSet<int>();
            foreach (var evidence in ordered[i].Evidence)
            {
                if (evidence.Fact is { } fact)
                {
                    related.UnionWith(byFact[fact]);
                }
            }

            related.Remove(i);
            var arranged = ordered[i] with { Key = keys[i], Related = related.Select(r => keys[r]).ToArray() };
            (arranged.IsSuppressed ? suppressed : reported).Add(arranged);
        }

        return (reported, suppressed);
    }
}
