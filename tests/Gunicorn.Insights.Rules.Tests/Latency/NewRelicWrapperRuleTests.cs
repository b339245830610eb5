using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class NewRelicWrapperRuleTests
{
    private const string LicenseKey = "0123456789abcdef0123456789abcdef01234567";

    private static ConfigParameter Environment(string name, string value) =>
        Observe.Setting(ConfigurationScope.Platform, name, SettingValue.FromText(value), "/etc/systemd/system/gunicorn.service", 6);

    private static IEnumerable<Diagnosis> Gi3007(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3007");

    [Fact]
    public void The_wrapper_with_its_configuration_file_confirms_the_instrumentation()
    {
        var diagnosis = Gi3007(
            Observe.Command("/usr/bin/newrelic-admin run-program /srv/app/venv/bin/gunicorn --workers 3 myapp.wsgi:application"),
            Environment("NEW_RELIC_CONFIG_FILE", "/srv/app/newrelic.ini")).Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be("New Relic APM: Gunicorn is started through newrelic-admin run-program; NEW_RELIC_CONFIG_FILE is /srv/app/newrelic.ini; "
            + "the agent is loaded in every worker and reports web transactions and transaction traces");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/etc/systemd/system/gunicorn.service:9", "/etc/systemd/system/gunicorn.service:6");
    }

    [Fact]
    public void A_license_key_on_the_command_line_is_never_shown()
    {
        var diagnosis = Gi3007(Observe.Command(
            $"env NEW_RELIC_LICENSE_KEY={LicenseKey} NEW_RELIC_CONFIG_FILE=newrelic.ini newrelic-admin run-program gunicorn myapp.wsgi:application",
            "Procfile", 1)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("New Relic APM: Gunicorn is started through newrelic-admin run-program; NEW_RELIC_CONFIG_FILE is newrelic.ini; "
            + "the agent is loaded in every worker and reports web transactions and transaction traces");
        diagnosis.Evidence.Select(e => e.ToString()).Should().Equal(
            "Procfile:1: env NEW_RELIC_LICENSE_KEY=(redacted) NEW_RELIC_CONFIG_FILE=newrelic.ini newrelic-admin run-program gunicorn myapp.wsgi:application");
        diagnosis.Message.Should().NotContain(LicenseKey);
    }

    [Fact]
    public void The_wrapper_without_any_configuration_is_named_as_incomplete()
    {
        var diagnosis = Gi3007(Observe.Command("newrelic-admin run-program gunicorn myapp.wsgi:application")).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("New Relic APM: Gunicorn is started through newrelic-admin run-program; NEW_RELIC_CONFIG_FILE is not set; "
            + "without a configuration file or NEW_RELIC_LICENSE_KEY the agent has no license key and reports nothing: set NEW_RELIC_CONFIG_FILE=newrelic.ini");
    }

    [Fact]
    public void The_configuration_file_without_the_wrapper_is_named_as_incomplete()
    {
        var diagnosis = Gi3007(
            Observe.Command("gunicorn --workers 3 myapp.wsgi:application"),
            Environment("NEW_RELIC_CONFIG_FILE", "newrelic.ini")).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("New Relic APM: Gunicorn is not started through newrelic-admin run-program; NEW_RELIC_CONFIG_FILE is newrelic.ini; "
            + "the variable alone loads nothing: unless the application calls newrelic.agent.initialize() itself, start Gunicorn with newrelic-admin run-program");
    }

    [Fact]
    public void A_license_key_in_the_environment_is_cited_without_its_value()
    {
        var diagnosis = Gi3007(
            Observe.Command("newrelic-admin run-program gunicorn myapp.wsgi:application"),
            Environment("NEW_RELIC_LICENSE_KEY", LicenseKey)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("New Relic APM: Gunicorn is started through newrelic-admin run-program; "
            + "NEW_RELIC_CONFIG_FILE is not set, the agent is configured through NEW_RELIC_LICENSE_KEY in the environment; "
            + "the agent is loaded in every worker and reports web transactions and transaction traces");
        diagnosis.Evidence.Select(e => e.Text).Should().NotContain(t => t.Contains(LicenseKey));
    }

    [Fact]
    public void Gunicorn_without_new_relic_stays_silent()
    {
        Gi3007(Observe.Command("gunicorn --workers 3 myapp.wsgi:application")).Should().BeEmpty();
    }
}
