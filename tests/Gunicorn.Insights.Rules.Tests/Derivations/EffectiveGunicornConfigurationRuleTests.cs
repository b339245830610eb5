using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Derivations;

public sealed class EffectiveGunicornConfigurationRuleTests
{
    [Fact]
    public void Each_instance_gets_its_own_effective_configuration_from_its_parameters()
    {
        var session = BuiltInRules.Analyze(
            new ConfigParameter(ConfigurationScope.Gunicorn, "timeout", SettingValue.Seconds(120), SettingOrigin.ConfigurationFile,
                new SourceLocation("web-1/gunicorn.conf.py", 4)) { Instance = "web-1" },
            new ConfigParameter(ConfigurationScope.Gunicorn, "workers", SettingValue.Integer(9), SettingOrigin.CommandLine,
                new SourceLocation("web-2/cmdline", 1)) { Instance = "web-2", WrittenAs = "-w" });

        var configurations = session.Query<GunicornConfiguration>().ToDictionary(c => c.Instance!);

        configurations.Keys.Should().BeEquivalentTo(["web-1", "web-2"]);
        configurations["web-1"].Timeout.Should().Be(TimeSpan.FromSeconds(120));
        configurations["web-1"].WorkerCount(null).Should().Be(1);
        configurations["web-2"].Timeout.Should().Be(TimeSpan.FromSeconds(30));
        configurations["web-2"]["timeout"].IsDefault.Should().BeTrue();
        configurations["web-2"].WorkerCount(null).Should().Be(9);
    }

    [Fact]
    public void An_instance_seen_only_in_logs_gets_gunicorns_defaults()
    {
        var session = BuiltInRules.Analyze(new WorkerEvent(LogSignatureKind.WorkerBoot, 42, "Booting worker with pid: 42",
            new SourceLocation("error.log", 1)) { Instance = "web-3" });

        var configuration = session.Query<GunicornConfiguration>().Should().ContainSingle().Subject;
        configuration.Instance.Should().Be("web-3");
        configuration.Settings.Should().OnlyContain(p => p.IsDefault);
        configuration.Backlog.Should().Be(2048);
        configuration.WorkerClass.Should().Be("sync");
    }

    [Fact]
    public void A_later_configuration_parameter_updates_the_derived_configuration_in_place()
    {
        var session = BuiltInRules.Analyze(new ConfigParameter(ConfigurationScope.Gunicorn, "timeout", SettingValue.Seconds(60),
            SettingOrigin.ConfigurationFile, new SourceLocation("gunicorn.conf.py", 2)));

        session.Insert(new ConfigParameter(ConfigurationScope.Gunicorn, "timeout", SettingValue.Seconds(90),
            SettingOrigin.CommandLine, new SourceLocation("gunicorn.service", 9)));
        session.Fire();

        session.Query<GunicornConfiguration>().Should().ContainSingle().Which.Timeout.Should().Be(TimeSpan.FromSeconds(90));
    }
}
