using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Tests.Diagnostics;

public sealed class DiagnosisMessageTests
{
    [Theory]
    [InlineData(41.2, "41.2 s")]
    [InlineData(30, "30 s")]
    [InlineData(0.85, "850 ms")]
    [InlineData(0.0123456, "12.346 ms")]
    [InlineData(0, "0 s")]
    public void Durations_keep_their_unit(double seconds, string expected)
    {
        DiagnosisMessage.FormatValue(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
    }

    [Fact]
    public void A_message_names_its_evidence_values_with_units()
    {
        var message = DiagnosisMessage.Format("timeout is {0} but P99 request duration is {1} on {2} with {3} swapped",
            [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(41.2), "web-1", ByteSize.FromMebibytes(512)]);

        message.Should().Be("timeout is 30 s but P99 request duration is 41.2 s on web-1 with 512 MiB swapped");
    }

    [Fact]
    public void Numbers_are_culture_invariant_and_non_finite_values_are_named()
    {
        DiagnosisMessage.Format("{0} {1} {2} {3:0.0}", [1234.5678, double.NaN, double.PositiveInfinity, 2.25]).Should().Be("1234.568 NaN +Inf 2.3");
    }

    [Fact]
    public void Descriptor_ids_must_be_letters_then_digits_and_built_in_ones_link_to_their_page()
    {
        var descriptor = new InsightDescriptor("GI1001", "Title", "Message", InsightCategory.WorkerLifecycle, Severity.Critical);
        var invalid = () => new InsightDescriptor("1001", "Title", "Message", InsightCategory.WorkerLifecycle, Severity.Critical);

        descriptor.HelpLinkUri!.ToString().Should().EndWith("/docs/rules/GI1001.md");
        invalid.Should().Throw<ArgumentException>().WithMessage("*letters followed by digits*");
        new InsightDescriptor("ACME42", "t", "m", "Custom", Severity.Info).HelpLinkUri.Should().BeNull();
    }

    [Fact]
    public void Every_category_owns_a_thousand_ids()
    {
        InsightCategory.RangeStart(InsightCategory.Engine).Should().Be(1);
        InsightCategory.RangeStart(InsightCategory.WorkerLifecycle).Should().Be(1001);
        InsightCategory.RangeStart(InsightCategory.Dependencies).Should().Be(6001);
    }
}
