using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Platform;

public sealed class PlatformTimeoutOutlivedRuleTests
{
    internal static LogSignature H12(long count) =>
        Observe.Lines(LogSignatureKind.HerokuRequestTimeout, count,
            "2026-11-23T23:45:52.000000+00:00 heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/report\" "
            + "host=app.herokuapp.com dyno=web.1 connect=0ms service=30000ms status=503 bytes=0",
            "heroku.log", 40);

    internal static LogSignature CloudRunTimeouts(long count) =>
        Observe.Lines(LogSignatureKind.PlatformRequestTimeout, count,
            "The request has been terminated because it has reached the maximum request timeout.", "cloud-run.log", 2);

    private static ConfigParameter Flag(string name, SettingValue value, string writtenAs) =>
        Observe.Gunicorn(name, value, "Procfile", 1, SettingOrigin.CommandLine, writtenAs);

    [Fact]
    public void Heroku_h12_with_a_sync_timeout_above_30_seconds_fires()
    {
        var session = BuiltInRules.Analyze(H12(7), Flag("timeout", SettingValue.Seconds(60), "--timeout"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI5001").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "The platform ended 7 request(s) at its 30 s deadline (Heroku router, H12), but Gunicorn stops a busy sync worker only "
            + "at its worker timeout of 60 s, so workers go on processing requests nobody waits for any more");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("heroku.log:40", "Procfile:1", "gunicorn defaults");
    }

    [Fact]
    public void Cloud_run_timeouts_with_uvicorn_workers_fire_whatever_gunicorns_timeout()
    {
        var session = BuiltInRules.Analyze(
            CloudRunTimeouts(3),
            Observe.Host(platform: PlatformKind.GoogleCloudRun),
            Observe.Gunicorn("worker_class", SettingValue.FromText("uvicorn.workers.UvicornWorker"), "Dockerfile", 12, SettingOrigin.CommandLine, "-k"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI5001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "The platform ended 3 request(s) at its 300 s deadline (Cloud Run's default request timeout; no timeout setting was found), "
            + "but Gunicorn runs uvicorn.workers.UvicornWorker workers, whose requests the worker timeout does not bound, so workers "
            + "go on processing requests nobody waits for any more");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("cloud-run.log:2", "host.txt:1", "gunicorn defaults", "Dockerfile:12");
    }

    [Fact]
    public void A_configured_platform_timeout_is_the_deadline()
    {
        var session = BuiltInRules.Analyze(
            CloudRunTimeouts(2),
            Observe.Setting(ConfigurationScope.Platform, "timeoutSeconds", SettingValue.FromText("120"), "service.yaml", 31),
            Flag("timeout", SettingValue.Seconds(0), "--timeout"));

        session.Diagnoses.Where(d => d.Id == "GI5001").Should().ContainSingle().Which.Message.Should().Be(
            "The platform ended 2 request(s) at its 120 s deadline (the platform's request timeout, timeoutSeconds), but Gunicorn "
            + "has its worker timeout disabled (timeout = 0), so workers go on processing requests nobody waits for any more");
    }

    [Fact]
    public void A_sync_timeout_below_the_deadline_stops_the_worker_first_and_is_silent()
    {
        var session = BuiltInRules.Analyze(H12(7), Flag("timeout", SettingValue.Seconds(25), "--timeout"));

        session.Diagnoses.Where(d => d.Id == "GI5001").Should().BeEmpty();
    }

    [Fact]
    public void Without_platform_timeout_lines_there_is_nothing_to_report()
    {
        var session = BuiltInRules.Analyze(Observe.Host(platform: PlatformKind.Heroku), Flag("timeout", SettingValue.Seconds(120), "--timeout"));

        session.Diagnoses.Where(d => d.Id == "GI5001").Should().BeEmpty();
    }
}
