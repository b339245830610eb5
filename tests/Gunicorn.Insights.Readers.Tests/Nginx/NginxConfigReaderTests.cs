using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Nginx;
using Gunicorn.Insights.Rules.Proxy;

namespace Gunicorn.Insights.Readers.Tests.Nginx;

public sealed class NginxConfigReaderTests
{
    private static string Sample(string name) => MutatedInputs.Sample("nginx", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new NginxConfigReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static ReadContext ReadText(string text)
    {
        var context = new ReadContext("test.conf");
        new NginxConfigReader().Read(LineSource.FromText("test.conf", text), context);
        return context;
    }

    private static string[] Lines(ReadContext context) =>
        context.Observations.OfType<ConfigParameter>()
            .Select(p => $"{p.Source.Line} {p.Name}={p.Value}{(p.IsDefault ? " (default)" : "")} [{p.Section}]")
            .ToArray();

    [Fact]
    public void A_typical_nginx_conf_gives_every_directive_with_its_block_and_resolves_the_upstream()
    {
        var context = Read("nginx.conf");

        context.Problems.Should().BeEmpty();
        Lines(context).Should().Equal(
            "2 worker_processes=auto []",
            "6 worker_connections=768 [events]",
            "11 keepalive_timeout=65 [http]",
            "12 client_max_body_size=10485760 [http]",
            "15 log_format=$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" rt=$request_time urt=\"$upstream_response_time\" [http]",
            "19 access_log=['/var/log/nginx/access.log', 'timed'] [http]",
            "20 error_log=['/var/log/nginx/error.log', 'warn'] [http]",
            "24 upstream.server=unix:/run/gunicorn.sock fail_timeout=0 [http > upstream app_server]",
            "28 listen=80 default_server [http > server example.com]",
            "29 server_name=['example.com', 'www.example.com'] [http > server example.com]",
            "34 proxy_pass=http://app_server [http > server example.com > location /]",
            "34 proxy_pass.target=unix-socket [http > server example.com > location /]",
            "34 proxy_pass.resolved=http://unix:/run/gunicorn.sock [http > server example.com > location /]",
            "35 proxy_read_timeout=120s [http > server example.com > location /]",
            "36 proxy_connect_timeout=5s [http > server example.com > location /]",
            @"44 proxy_pass=http://app_server [http > server example.com > location ~ ^/reports/(\d+)$]",
            @"44 proxy_pass.target=unix-socket [http > server example.com > location ~ ^/reports/(\d+)$]",
            @"44 proxy_pass.resolved=http://unix:/run/gunicorn.sock [http > server example.com > location ~ ^/reports/(\d+)$]",
            @"44 proxy_read_timeout=60s (default) [http > server example.com > location ~ ^/reports/(\d+)$]",
            "48 include=/etc/nginx/conf.d/*.conf [http]");
    }

    [Fact]
    public void Values_are_typed_and_keep_their_spelling()
    {
        var parameters = Read("nginx.conf").Observations.OfType<ConfigParameter>().ToArray();

        parameters.Should().OnlyContain(p => p.Scope == ConfigurationScope.Nginx && p.Source.Source == "nginx.conf");
        var readTimeout = parameters.First(p => p.Name == "proxy_read_timeout");
        readTimeout.Value.TryGetDuration(out var read).Should().BeTrue();
        read.Should().Be(TimeSpan.FromSeconds(120));
        readTimeout.Origin.Should().Be(SettingOrigin.ConfigurationFile);
        parameters.Single(p => p.Name == "keepalive_timeout").Value.TryGetDuration(out var keepalive).Should().BeTrue();
        keepalive.Should().Be(TimeSpan.FromSeconds(65), "a bare number is seconds");
        parameters.Single(p => p.Name == "client_max_body_size").Value.TryGetInteger(out var body).Should().BeTrue();
        body.Should().Be(10 * 1024 * 1024);
        parameters.Single(p => p.Name == "log_format").WrittenAs.Should().Be("log_format timed");
        parameters.Single(p => p.Name == "access_log").Value.Items.Should().Equal("/var/log/nginx/access.log", "timed");
        parameters.First(p => p.Name == "proxy_pass.resolved").WrittenAs.Should().Be("proxy_pass http://app_server");
        parameters.Single(p => p.Name == "upstream.server").WrittenAs.Should().Be("server");

        var fallback = parameters.Single(p => p.IsDefault);
        fallback.Value.TryGetDuration(out var defaultRead).Should().BeTrue();
        defaultRead.Should().Be(NginxConfigReader.DefaultProxyReadTimeout);
        ProxyReadTimeoutBeforeGunicornRule.NginxTime(fallback.Value.Text).Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Tcp_targets_are_classified_credentials_masked_and_upstreams_with_mixed_servers_resolved()
    {
        var context = Read("sites-tcp.conf");

        context.Problems.Should().BeEmpty();
        Lines(context).Should().Equal(
            "2 listen=443 ssl http2 [server api.example.com]",
            "3 server_name=['api.example.com'] [server api.example.com]",
            "4 proxy_send_timeout=1m30s [server api.example.com]",
            "7 proxy_pass=http://127.0.0.1:8000 [server api.example.com > location /]",
            "7 proxy_pass.target=loopback-tcp [server api.example.com > location /]",
            "7 proxy_read_timeout=60s (default) [server api.example.com > location /]",
            "11 proxy_pass=https://***@billing.internal:8443/api [server api.example.com > location /billing]",
            "11 proxy_pass.target=remote-tcp [server api.example.com > location /billing]",
            "12 proxy_read_timeout=500ms [server api.example.com > location /billing]",
            "16 proxy_pass=http://legacy_backend [server api.example.com > location /legacy]",
            "16 proxy_pass.target=unresolved-upstream [server api.example.com > location /legacy]",
            "16 proxy_read_timeout=60s (default) [server api.example.com > location /legacy]",
            "21 proxy_pass=http://$backend_host [server api.example.com > location /dynamic]",
            "21 proxy_pass.target=variable [server api.example.com > location /dynamic]",
            "21 proxy_read_timeout=60s (default) [server api.example.com > location /dynamic]",
            "26 upstream.server=127.0.0.1:8000 max_fails=3 [upstream pool]",
            "27 upstream.server=10.0.0.5:8000 backup [upstream pool]",
            "31 listen=8080 [server]",
            "33 proxy_pass=http://pool/ [server > location /]",
            "33 proxy_pass.target=mixed [server > location /]",
            "33 proxy_pass.resolved=http://127.0.0.1:8000 [server > location /]",
            "33 proxy_pass.resolved=http://10.0.0.5:8000 [server > location /]",
            "33 proxy_read_timeout=60s (default) [server > location /]");
        var parameters = context.Observations.OfType<ConfigParameter>().ToArray();
        parameters.Single(p => p.Name == "proxy_send_timeout").Value.TryGetDuration(out var send).Should().BeTrue();
        send.Should().Be(TimeSpan.FromSeconds(90));
        parameters.Single(p => p.Name == "proxy_read_timeout" && !p.IsDefault).Value.TryGetDuration(out var read).Should().BeTrue();
        read.Should().Be(TimeSpan.FromMilliseconds(500));
        parameters.Should().NotContain(p => p.Value.Text.Contains("s3cret"));
    }

    [Fact]
    public void The_proxy_rules_see_loopback_targets_in_what_the_reader_produces()
    {
        var parameters = Read("sites-tcp.conf").Observations.OfType<ConfigParameter>().ToArray();

        parameters.Select(SameHostTcpProxyRule.LoopbackTarget).OfType<string>().Should().Equal("127.0.0.1:8000", "127.0.0.1:8000");
        Read("nginx.conf").Observations.OfType<ConfigParameter>().Select(SameHostTcpProxyRule.LoopbackTarget).OfType<string>()
            .Should().BeEmpty("the upstream is a unix socket");
    }

    [Fact]
    public void A_proxy_read_timeout_on_an_enclosing_block_means_no_default()
    {
        var context = ReadText("http {\n  proxy_read_timeout 1m;\n  server {\n    location / { proxy_pass http://localhost:8000; }\n  }\n}\n");

        Lines(context).Should().Equal(
            "2 proxy_read_timeout=1m [http]",
            "4 proxy_pass=http://localhost:8000 [http > server > location /]",
            "4 proxy_pass.target=loopback-tcp [http > server > location /]");
    }

    [Fact]
    public void Quotes_escapes_comments_multi_line_directives_and_lua_blocks_are_tokenized_as_nginx_does()
    {
        var context = ReadText(
            "http {\n"
            + "  log_format json escape=json '{\"t\":\"$time_iso8601\",' # a comment\n"
            + "      '\"s\":$status,\"rt\":$request_time}';\n"
            + "  server {\n"
            + "    server_name \"quoted name\" 'single';   # trailing comment with { and ;\n"
            + "    location = /x { content_by_lua_block { local t = { a = \"}\" } ngx.say(\"{\") } }\n"
            + "    location ~ \\.php$ { proxy_pass http://unix:/run/php.sock:/; }\n"
            + "  }\n"
            + "}\n");

        context.Problems.Should().BeEmpty();
        Lines(context).Should().Equal(
            "2 log_format={\"t\":\"$time_iso8601\",\"s\":$status,\"rt\":$request_time} [http]",
            "5 server_name=['quoted name', 'single'] [http > server quoted name]",
            @"7 proxy_pass=http://unix:/run/php.sock:/ [http > server quoted name > location ~ \.php$]",
            @"7 proxy_pass.target=unix-socket [http > server quoted name > location ~ \.php$]",
            @"7 proxy_read_timeout=60s (default) [http > server quoted name > location ~ \.php$]");
    }

    [Fact]
    public void Malformed_configuration_is_reported_with_its_lines_and_the_rest_is_read()
    {
        var context = Read("broken.conf");

        context.Problems.Select(p => $"{p.Location.Line}: {p.Message}").Should().Equal(
            "2: proxy_read_timeout '6o' is not an nginx time (e.g. 60s, 1m, 500ms); skipped",
            "3: client_max_body_size 'lots' is not an nginx size (e.g. 10m); skipped",
            "4: keepalive_timeout takes one or two values, got 0; skipped",
            "6: directive 'listen' has no ';' before '}'; read as if it had one",
            "9: '}' with no block open; ignored",
            "13: a string opened with \" is never closed; the directive it is in was not read",
            "11: block 'location /' is never closed (a missing '}'); its directives were read",
            "10: block 'server' is never closed (a missing '}'); its directives were read");
        Lines(context).Should().Equal(
            "6 listen=80 [http > server]",
            "12 proxy_pass=http://127.0.0.1:8000 [server > location /]",
            "12 proxy_pass.target=loopback-tcp [server > location /]",
            "12 proxy_read_timeout=60s (default) [server > location /]");
    }

    [Fact]
    public void The_stream_module_and_braced_variables_are_read()
    {
        var context = ReadText(
            "stream {\n"
            + "  upstream backend { server 127.0.0.1:12345; }\n"
            + "  server { listen 12346; proxy_pass backend; }\n"
            + "}\n"
            + "location /v { proxy_pass http://${upstream_host}:8000; }\n");

        context.Problems.Should().BeEmpty();
        Lines(context).Should().Equal(
            "2 upstream.server=127.0.0.1:12345 [stream > upstream backend]",
            "3 listen=12346 [stream > server]",
            "3 proxy_pass=backend [stream > server]",
            "3 proxy_pass.target=loopback-tcp [stream > server]",
            "3 proxy_pass.resolved=127.0.0.1:12345 [stream > server]",
            "5 proxy_pass=http://${upstream_host}:8000 [location /v]",
            "5 proxy_pass.target=variable [location /v]",
            "5 proxy_read_timeout=60s (default) [location /v]");
    }

    [Theory]
    [InlineData("proxy_read_timeout 2m;", 120_000)]
    [InlineData("proxy_read_timeout 1h30m;", 5_400_000)]
    [InlineData("proxy_read_timeout 250ms;", 250)]
    [InlineData("proxy_read_timeout 75;", 75_000)]
    [InlineData("proxy_read_timeout 1d;", 86_400_000)]
    public void Nginx_time_units_become_durations(string directive, long milliseconds)
    {
        var parameter = ReadText("location / { " + directive + " }").Observations.OfType<ConfigParameter>().Single();

        parameter.Value.TryGetDuration(out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
        parameter.Value.Text.Should().Be(directive.Split(' ')[1].TrimEnd(';'));
    }

    [Theory]
    [InlineData("512", 512)]
    [InlineData("8k", 8192)]
    [InlineData("1G", 1L << 30)]
    [InlineData("0", 0)]
    public void Nginx_sizes_become_bytes(string size, long bytes)
    {
        var parameter = ReadText($"client_max_body_size {size};").Observations.OfType<ConfigParameter>().Single();

        parameter.Value.TryGetInteger(out var value).Should().BeTrue();
        value.Should().Be(bytes);
    }

    [Fact]
    public void The_reader_recognises_nginx_configuration_and_not_other_files()
    {
        var reader = new NginxConfigReader();

        reader.Recognize("nginx.conf", File.ReadAllLines(Sample("nginx.conf"))).Should().BeGreaterThan(80);
        reader.Recognize("api.conf", File.ReadAllLines(Sample("sites-tcp.conf"))).Should().BeGreaterThan(50);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("redis.conf", File.ReadAllLines(MutatedInputs.Sample("redis", "redis.conf"))).Should().Be(0);
        reader.Recognize("gunicorn.conf.py", ["bind = 'unix:/run/gunicorn.sock'", "workers = 3"]).Should().Be(0);
        new GunicornErrorLogReader().Recognize("nginx.conf", File.ReadAllLines(Sample("nginx.conf"))).Should().Be(0);
    }

    [Fact]
    public void NginxConfigReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new NginxConfigReader(), [Sample("nginx.conf"), Sample("sites-tcp.conf"), Sample("broken.conf")], seed: 1);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
