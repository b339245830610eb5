using System.Collections.Frozen;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Configuration;

/// <summary>
/// The rule parameters in force in a session, checked against the descriptors that declare them. Every session holds
/// one as a fact, so a rule reads its thresholds the way it reads any evidence:
/// <c>.Match(() => parameters).Having(() => p95 > parameters.Duration(Descriptor, "p95-limit"))</c>.
/// </summary>
public sealed class RuleParameters
{
    private readonly FrozenDictionary<string, object> _values;

    private RuleParameters(FrozenDictionary<string, object> values) => _values = values;

    /// <summary>
    /// Checks the configured parameters against <paramref name="descriptors"/> and parses their values.
    /// </summary>
    /// <exception cref="InsightConfigurationException">A parameter is unknown or its value is invalid.</exception>
    public static RuleParameters Resolve(InsightConfiguration configuration, IEnumerable<InsightDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(descriptors);
        var byId = descriptors.ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, text) in configuration.Parameters)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var id = dot > 0 ? key[..dot] : key;
            var name = dot > 0 ? key[(dot + 1)..] : "";
            if (!byId.TryGetValue(id, out var descriptor))
            {
                throw new InsightConfigurationException($"Parameter '{key}': no rule has the ID '{id}'.");
            }

            var parameter = descriptor.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InsightConfigurationException(
                    $"Parameter '{key}': {descriptor.Id} has {(descriptor.Parameters.Count == 0 ? "no parameters" : "the parameters " + string.Join(", ", descriptor.Parameters.Select(p => p.Name)))}.");
            try
            {
                values[$"{descriptor.Id}.{parameter.Name}"] = parameter.Parse(text);
            }
            catch (FormatException e)
            {
                throw new InsightConfigurationException($"Parameter '{key}': {e.Message}", e);
            }
        }

        return new RuleParameters(values.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The value of a duration parameter: the configured one, else the descriptor's default.</summary>
    public TimeSpan Duration(InsightDescriptor descriptor, string name) => (TimeSpan)Value(descriptor, name, RuleParameterKind.Duration);

    /// <summary>The value of a number parameter: the configured one, else the descriptor's default.</summary>
    public double Number(InsightDescriptor descriptor, string name) => (double)Value(descriptor, name, RuleParameterKind.Number);

    /// <summary>The value of a whole-number parameter: the configured one, else the descriptor's default.</summary>
    public long Integer(InsightDescriptor descriptor, string name) => (long)Value(descriptor, name, RuleParameterKind.Integer);

    /// <inheritdoc />
    public override string ToString() => _values.Count == 0 ? "rule parameters: defaults" : $"rule parameters: {string.Join(", ", _values.Keys)}";

    private object Value(InsightDescriptor descriptor, string name, RuleParameterKind kind)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var parameter = descriptor.Parameters.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidOperationException($"{descriptor.Id} declares no parameter '{name}'.");
        if (parameter.Kind != kind)
        {
            throw new InvalidOperationException($"{descriptor.Id}.{name} is a {parameter.Kind} parameter, not a {kind} one.");
        }

        return _values.TryGetValue($"{descriptor.Id}.{name}", out var value) ? value : parameter.Parse(parameter.DefaultValue);
    }
}
