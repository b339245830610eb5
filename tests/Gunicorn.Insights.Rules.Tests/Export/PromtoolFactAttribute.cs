namespace Gunicorn.Insights.Rules.Tests.Export;

/// <summary>
/// A test that needs promtool: skipped where it is not installed, except under CI (CI=true), where a missing promtool
/// fails the test instead of letting it pass unnoticed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Promtool.Path is null && !Promtool.IsRequired)
        {
            Skip = "promtool is not installed (Debian: apt-get install --no-install-recommends prometheus)";
        }
    }
}
