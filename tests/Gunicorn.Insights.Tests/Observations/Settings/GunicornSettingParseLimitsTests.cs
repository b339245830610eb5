using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Tests.Observations.Settings;

public sealed class GunicornSettingParseLimitsTests
{
    [Theory]
    [InlineData(100_000, "(", ")")]
    [InlineData(100_000, "-", "")]
    public void A_deeply_nested_value_is_refused_without_exhausting_the_stack(int depth, string open, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));

        var parse = () => GunicornSettingCatalog.Workers.Parse(text);

        parse.Should().Throw<FormatException>();
    }

    [Fact]
    public void A_reasonable_formula_still_evaluates()
    {
        GunicornSettingCatalog.Workers.Parse("((multiprocessing.cpu_count() * 2) + 1)").TryEvaluate(4, out var workers).Should().BeTrue();
        workers.Should().Be(9);
    }
}
