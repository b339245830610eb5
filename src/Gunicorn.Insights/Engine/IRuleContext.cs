using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine;

/// <summary>What a rule's <c>Do</c> action can do to the session while it fires.</summary>
public interface IRuleContext
{
    /// <summary>The name of the rule that is firing.</summary>
    string RuleName { get; }

    /// <summary>Inserts a fact that stays after the match goes away (unlike <c>Yield</c>, which links it to the match).</summary>
    void Insert(object fact);

    /// <summary>Tells the session that a mutable fact has changed.</summary>
    void Update(object fact);

    /// <summary>Removes a fact.</summary>
    void Retract(object fact);

    /// <summary>Reports a diagnosis linked to the current match.</summary>
    void Report(InsightDescriptor descriptor, Finding finding);
}
