using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
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

    // Shared by the sessions of one analyzer, which may run on several threads.
    private readonly ConcurrentDictionary<(InsightDescriptor Descriptor, string Name), (RuleParameterKind Kind, object Value)> _resolved =
        new(ParameterKeyComparer.Instance);

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

        // Rules read their thresholds on every evaluation; the lookup and the parsing of the default are done once.
        if (_resolved.TryGetValue((descriptor, name), out var resolved))
        {
            return resolved.Kind == kind
                ? resolved.Value
                : throw new InvalidOperationException($"{descriptor.Id}.{name} is a {resolved.Kind} parameter, not a {kind} one.");
        }

        RuleParameter? parameter = null;
        foreach (var declared in descriptor.Parameters)
        {
            if (declared.Name == name)
            {
                parameter = declared;
                break;
            }
        }

        if (parameter is null)
        {
            throw new InvalidOperationException($"{descriptor.Id} declares no parameter '{name}'.");
        }

        var value = _values.TryGetValue($"{descriptor.Id}.{name}", out var configured) ? configured : parameter.Parse(parameter.DefaultValue);
        _resolved[(descriptor, name)] = (parameter.Kind, value);
        return Value(descriptor, name, kind);
    }

    /// <summary>Descriptors by reference, names by ordinal comparison.</summary>
    private sealed class ParameterKeyComparer : IEqualityComparer<(InsightDescriptor Descriptor, string Name)>
    {
        public static readonly ParameterKeyComparer Instance = new();

        public bool Equals((InsightDescriptor Descriptor, string Name) x, (InsightDescriptor Descriptor, string Name) y) =>
            ReferenceEquals(x.Descriptor, y.Descriptor) && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

        public int GetHashCode((InsightDescriptor Descriptor, string Name) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Descriptor), StringComparer.Ordinal.GetHashCode(obj.Name));
    }
}
