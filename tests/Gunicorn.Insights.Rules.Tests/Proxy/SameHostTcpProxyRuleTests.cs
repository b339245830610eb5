using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Proxy;

public sealed class SameHostTcpProxyRuleTests
{
    private const string NginxSite = "/etc/nginx/conf.d/filename.conf";
    private const string Unit = "/etc/systemd/system/gunicorn.service";

    private static ConfigParameter Nginx(string name, string value, int line = 12, string? instance = null) =>
        Observe.Setting(ConfigurationScope.Nginx, name, SettingValue.FromText(value), NginxSite, line, instance);

    private static ConfigParameter Bind(params string[] addresses) =>
        Observe.Gunicorn("bind", SettingValue.List(addresses), Unit, 9, SettingOrigin.CommandLine, "--bind");

    [Fact]
    public void Nginx_proxying_to_localhost_tcp_while_gunicorn_binds_that_port_fires_and_says_the_latency_was_not_measured()
    {
        BuiltInRules.Fixture.Given(Nginx("proxy_pass", "http://127.0.0.1:8000"), Bind("0.0.0.0:8000"))
            .Expect("GI4001").FiresOnce()
            .WithSeverity(Severity.Critical)
            .WithMessage(
                "nginx reaches Gunicorn over loopback TCP (proxy_pass http://127.0.0.1:8000) while Gunicorn listens on 0.0.0.0:8000; "
                + "proxy and Gunicorn share the host, so a Unix socket can replace the TCP hop; the latency this hop adds was not "
                + "measured: compare nginx's $upstream_connect_time and $upstream_response_time with Gunicorn's rt=%(L)s, before and "
                + "after switching to the socket")
            .WithEvidenceExactlyAt($"{NginxSite}:12", $"{Unit}:9");
    }

    [Fact]
    public void An_upstream_server_on_localhost_with_the_default_bind_and_exhausted_local_ports_names_the_port_failures()
    {
        var session = BuiltInRules.Analyze(
            Nginx("server", "127.0.0.1:8000 fail_timeout=0", line: 4),
            Observe.Lines(LogSignatureKind.UpstreamConnectFailed, 37,
                "2026/11/23 23:45:22 [crit] 31#31: *9 connect() to 127.0.0.1:8000 failed (99: Cannot assign requested address) while connecting to upstream",
                "/var/log/nginx/error.log", 120));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "nginx reaches Gunicorn over loopback TCP (upstream server 127.0.0.1:8000 fail_timeout=0) while Gunicorn listens on "
            + "127.0.0.1:8000 (Gunicorn's default; no bind setting was found); proxy and Gunicorn share the host, so a Unix socket "
            + "can replace the TCP hop; nginx also failed 37 connection(s) with (99: Cannot assign requested address): the host ran "
            + "out of local TCP ports, which a Unix socket does not use");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal($"{NginxSite}:4", "gunicorn defaults", "/var/log/nginx/error.log:120");
    }

    [Fact]
    public void A_systemd_socket_unit_listening_on_a_tcp_port_is_the_listener()
    {
        var session = BuiltInRules.Analyze(
            Nginx("proxy_pass", "http://localhost:8000/"),
            Observe.Setting(ConfigurationScope.Systemd, "ListenStream", SettingValue.FromText("8000"), "/etc/systemd/system/gunicorn.socket", 5));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().StartWith(
            "nginx reaches Gunicorn over loopback TCP (proxy_pass http://localhost:8000/) while Gunicorn listens on [::]:8000 (systemd ListenStream);");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal($"{NginxSite}:12", "/etc/systemd/system/gunicorn.socket:5");
    }

    [Fact]
    public void Gunicorn_on_a_unix_socket_behind_nginx_is_silent()
    {
        var session = BuiltInRules.Analyze(
            Nginx("proxy_pass", "http://unix:/run/gunicorn.sock"),
            Bind("unix:/run/gunicorn.sock"),
            Observe.Setting(ConfigurationScope.Systemd, "ListenStream", SettingValue.FromText("/run/gunicorn.sock"), "/etc/systemd/system/gunicorn.socket", 5));

        session.Diagnoses.Where(d => d.Id == "GI4001").Should().BeEmpty();
    }

    [Fact]
    public void Nginx_proxying_to_another_host_or_container_is_silent_because_tcp_is_the_only_option()
    {
        var session = BuiltInRules.Analyze(
            Nginx("proxy_pass", "http://web:8000"),
            Nginx("server", "10.0.3.7:8000", line: 4),
            Bind("0.0.0.0:8000"));

        session.Diagnoses.Where(d => d.Id == "GI4001").Should().BeEmpty();
    }

    [Fact]
    public void A_localhost_target_on_a_port_gunicorn_does_not_listen_on_is_silent()
    {
        var session = BuiltInRules.Analyze(Nginx("proxy_pass", "http://127.0.0.1:5000"), Bind("unix:/run/gunicorn.sock", "10.0.0.5:8000"));

        session.Diagnoses.Where(d => d.Id == "GI4001").Should().BeEmpty();
    }

    [Fact]
    public void A_healthy_socket_deployment_gets_no_warning_or_critical_from_the_proxy_and_platform_rules()
    {
        var session = BuiltInRules.Analyze(
            Nginx("proxy_pass", "http://unix:/run/gunicorn.sock"),
            Bind("unix:/run/gunicorn.sock"),
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 4),
            Observe.Gunicorn("accesslog", SettingValue.FromText("-"), line: 5),
            Observe.Mount("/", "ext4", 1),
            Observe.Mount("/dev/shm", "tmpfs", 2),
            Observe.Host(cpus: 4, platform: PlatformKind.Systemd),
            Observe.Version("gunicorn", "23.0.0"),
            Observe.Cpu(35, ioWait: 1, line: 3),
            Observe.Traffic(600, path: "/health", logger: "nginx"),
            Observe.Durations(window: TimeSpan.FromMinutes(10), buckets: [(0.1, 900), (0.5, 1150), (1, 1190), (2.5, 1200), (double.PositiveInfinity, 1200)]));

        session.Diagnoses.Where(d => d.Id.StartsWith("GI4", StringComparison.Ordinal) || d.Id.StartsWith("GI5", StringComparison.Ordinal)).Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI0003" && (d.Message.StartsWith("GI4", StringComparison.Ordinal) || d.Message.StartsWith("GI5", StringComparison.Ordinal)))
            .Should().BeEmpty();
    }
}
