using System.Reflection;
using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// A rule: a class whose <see cref="Define"/> declares, with <see cref="When"/>, the facts it matches and, with
/// <see cref="Then"/>, what it does for each distinct match. Variables declared in <c>When()</c> are bound per match:
/// <code>
/// public override void Define()
/// {
///     GunicornConfiguration config = null!;
///     LogSignature timeouts = null!;
///
///     When()
///         .Match(() => config)
///         .Match(() => timeouts, s => s.Kind == LogSignatureKind.WorkerTimeout, s => s.Instance == config.Instance);
///     Then()
///         .Report(Descriptors.WorkerTimeout, () => Finding.Of(timeouts.Count, config.Timeout).Because(timeouts, config));
/// }
/// </code>
/// </summary>
public abstract class Rule
{
    private RuleDefinition? _definition;

    /// <summary>The rule's name: its type's full name.</summary>
    public virtual string Name => GetType().FullName ?? GetType().Name;

    /// <summary>The priority from <see cref="PriorityAttribute"/>, 0 without one.</summary>
    public int Priority => GetType().GetCustomAttribute<PriorityAttribute>()?.Value ?? 0;

    /// <summary>Declares the rule with <see cref="When"/> and <see cref="Then"/>.</summary>
    public abstract void Define();

    /// <summary>Starts the conditions: the facts that must (or must not) be present.</summary>
    protected LeftHandSide When() => new(Current.Elements, Name);

    /// <summary>Starts the actions taken once per distinct match.</summary>
    protected RightHandSide Then() => new(Current.Actions, Name);

    internal RuleDefinition Build()
    {
        _definition = new RuleDefinition(this);
        try
        {
            Define();
        }
        catch (RuleDefinitionException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new RuleDefinitionException($"Rule '{Name}' failed while defining itself: {e.Message}", e);
        }

        var built = _definition;
        _definition = null;
        if (built.Actions.Count == 0)
        {
            throw new RuleDefinitionException($"Rule '{Name}' has no actions: call Then() and Report, Yield or Do.");
        }

        return built;
    }

    private RuleDefinition Current => _definition
        ?? throw new InvalidOperationException("When() and Then() can only be called from Define().");
}
