using System.Collections;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>
/// Flattens what a finding cites into evidence: observations as themselves, derived facts as the observations they
/// were derived from, collections item by item, each observation once.
/// </summary>
internal static class EvidenceCollector
{
    public static IReadOnlyList<Evidence> Collect(IReadOnlyList<object> cited)
    {
        var evidence = new List<Evidence>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var item in cited)
        {
            Add(item, evidence, seen);
        }

        return evidence;
    }

    /// <summary>The one instance the evidence is about, when there is exactly one.</summary>
    public static string? CommonInstance(IReadOnlyList<Evidence> evidence)
    {
        string? instance = null;
        foreach (var item in evidence)
        {
            var itemInstance = item.Fact switch
            {
                Observation observation => observation.Instance,
                DerivedFact derived => derived.Instance,
                _ => null,
            };
            if (itemInstance is null)
            {
                continue;
            }

            if (instance is not null && instance != itemInstance)
            {
                return null;
            }

            instance = itemInstance;
        }

        return instance;
    }

    private static void Add(object item, List<Evidence> evidence, HashSet<object> seen)
    {
        switch (item)
        {
            case Evidence given:
                evidence.Add(given);
                break;
            case Observation observation:
                if (seen.Add(observation))
                {
                    evidence.Add(Evidence.Of(observation));
                }

                break;
            case DerivedFact derived:
                if (seen.Add(derived))
                {
                    foreach (var source in derived.Evidence)
                    {
                        Add(source, evidence, seen);
                    }
                }

                break;
            case IEnumerable items and not string:
                foreach (var element in items)
                {
                    if (element is not null)
                    {
                        Add(element, evidence, seen);
                    }
                }

                break;
            default:
                if (seen.Add(item))
                {
                    evidence.Add(new Evidence(SourceLocation.Host(item.GetType().Name), item.ToString() ?? "") { Fact = item });
                }

                break;
        }
    }
}
