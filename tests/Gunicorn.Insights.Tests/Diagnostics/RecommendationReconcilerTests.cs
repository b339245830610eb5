using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Tests.Diagnostics;

public sealed class RecommendationReconcilerTests
{
    private static Diagnosis Diagnosis(string id, string? instance, params SettingRecommendation[] recommendations) =>
        new(new InsightDescriptor(id, "t", "m", InsightCategory.WorkerLifecycle, Severity.Warning), Severity.Warning, "m", [])
        {
            Instance = instance,
            Recommendations = recommendations,
        };

    private static SettingRecommendation AtLeast(long seconds, string reason = "") =>
        SettingRecommendation.AtLeast("timeout", SettingValue.Seconds(seconds), reason) with { Current = SettingValue.Seconds(30) };

    private static SettingRecommendation AtMost(long seconds, string reason = "") =>
        SettingRecommendation.AtMost("timeout", SettingValue.Seconds(seconds), reason) with { Current = SettingValue.Seconds(30) };

    [Fact]
    public void Bounds_from_several_diagnoses_merge_into_the_tightest_range()
    {
        var merged = RecommendationReconciler.Reconcile(
            [Diagnosis("GI1002", null, AtLeast(60)), Diagnosis("GI1004", null, AtLeast(90)), Diagnosis("GI5001", null, AtMost(120))]);

        var timeout = merged.Should().ContainSingle().Subject;
        timeout.AtLeast.Should().Be(SettingValue.Seconds(90));
        timeout.AtMost.Should().Be(SettingValue.Seconds(120));
        timeout.IsConflict.Should().BeFalse();
        timeout.Summary.Should().Be("timeout: 30 → between 90 and 120 (from GI1002, GI1004, GI5001)");
    }

    [Fact]
    public void Contradicting_bounds_become_one_stated_conflict_not_two_recommendations()
    {
        var merged = RecommendationReconciler.Reconcile(
            [Diagnosis("GI1002", "web-1", AtLeast(60, "slowest request 48 s")), Diagnosis("GI5001", "web-1", AtMost(25, "Heroku router gives up at 30 s"))]);

        var timeout = merged.Should().ContainSingle().Subject;
        timeout.IsConflict.Should().BeTrue();
        timeout.Summary.Should().Be(
            "timeout on web-1: 30 → no value satisfies every diagnosis: GI1002 needs ≥ 60 (slowest request 48 s); GI5001 needs ≤ 25 (Heroku router gives up at 30 s) (from GI1002, GI5001)");
    }

    [Fact]
    public void An_exact_value_within_the_bounds_is_proposed_and_two_exact_values_conflict()
    {
        var gevent = SettingRecommendation.Exactly("worker_class", SettingValue.FromText("gevent"), "I/O-bound");
        var gthread = SettingRecommendation.Exactly("worker_class", SettingValue.FromText("gthread"), "threads");

        RecommendationReconciler.Reconcile([Diagnosis("GI2002", null, gevent), Diagnosis("GI6002", null, gevent)])
            .Should().ContainSingle().Which.Proposed.Should().Be(SettingValue.FromText("gevent"));
        RecommendationReconciler.Reconcile([Diagnosis("GI2002", null, gevent), Diagnosis("GI9999", null, gthread)])
            .Should().ContainSingle().Which.IsConflict.Should().BeTrue();
    }

    [Fact]
    public void Each_instance_gets_its_own_recommendation_and_suppressed_diagnoses_do_not_count()
    {
        var suppressed = Diagnosis("GI5001", "web-2", AtMost(10)) with { Suppression = new Gunicorn.Insights.Configuration.Suppression("GI5001", "not on Heroku") };

        var merged = RecommendationReconciler.Reconcile([Diagnosis("GI1002", "web-1", AtLeast(60)), Diagnosis("GI1002", "web-2", AtLeast(45)), suppressed]);

        merged.Select(m => m.Summary).Should().Equal("timeout on web-1: 30 → at least 60 (from GI1002)", "timeout on web-2: 30 → at least 45 (from GI1002)");
    }
}
