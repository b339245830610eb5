using System.Reflection;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Configuration;

/// <summary>Compiles the rules the options name: the built-in pack (found by its assembly name) and the host's assemblies.</summary>
public static class RulePackLoader
{
    /// <summary>Builds and compiles the rule set <paramref name="options"/> describe.</summary>
    /// <exception cref="InvalidOperationException">The built-in pack is requested but not referenced.</exception>
    public static SessionFactory Compile(GunicornInsightsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new RuleSet();
        if (options.IncludeBuiltInRules)
        {
            rules.AddFrom(LoadBuiltInPack());
        }

        foreach (var assembly in options.RuleAssemblies)
        {
            rules.AddFrom(assembly);
        }

        return rules.Compile();
    }

    private static Assembly LoadBuiltInPack()
    {
        try
        {
            // By name, because the pack references this assembly and not the other way round.
            return Assembly.Load(new AssemblyName(GunicornInsightsOptions.BuiltInRulePackAssembly));
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException(
                $"The built-in rule pack ({GunicornInsightsOptions.BuiltInRulePackAssembly}) is not referenced. Add the "
                + $"{GunicornInsightsOptions.BuiltInRulePackAssembly} package, or set IncludeBuiltInRules = false and add your own rule assemblies.", e);
        }
    }
}
