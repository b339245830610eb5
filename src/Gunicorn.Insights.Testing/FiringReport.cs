using System.Text;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Testing;

/// <summary>Formats what a run reported, for failure messages: each diagnosis with its evidence, then suppressions and read problems.</summary>
internal static class FiringReport
{
    public static string Describe(RuleRun run)
    {
        var text = new StringBuilder();
        if (run.Diagnoses.Count == 0)
        {
            text.Append("Nothing fired.");
        }
        else
        {
            text.Append($"Fired ({run.Diagnoses.Count}):");
            foreach (var diagnosis in run.Diagnoses)
            {
                text.AppendLine().Append(Describe(diagnosis));
            }
        }

        if (run.SuppressedDiagnoses.Count > 0)
        {
            text.AppendLine().Append($"Suppressed ({run.SuppressedDiagnoses.Count}):");
            foreach (var diagnosis in run.SuppressedDiagnoses)
            {
                text.AppendLine().Append(Describe(diagnosis));
            }
        }

        if (run.Problems.Count > 0)
        {
            text.AppendLine().Append($"Read problems ({run.Problems.Count}):");
            foreach (var problem in run.Problems)
            {
                text.AppendLine().Append("  ").Append(problem);
            }
        }

        return text.ToString();
    }

    public static string Describe(Diagnosis diagnosis)
    {
        var text = new StringBuilder("  ").Append(diagnosis);
        if (diagnosis.Instance is { } instance)
        {
            text.Append($" [{instance}]");
        }

        foreach (var evidence in diagnosis.Evidence)
        {
            text.AppendLine().Append("    at ").Append(evidence);
        }

        return text.ToString();
    }
}
