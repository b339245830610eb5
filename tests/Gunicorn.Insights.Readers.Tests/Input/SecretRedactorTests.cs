using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.Input;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("redis://app:s3cr3t@cache:6379/0", "redis://***@cache:6379/0")]
    [InlineData("proxy_pass http://admin:pw@10.0.0.5:8000/;", "proxy_pass http://***@10.0.0.5:8000/;")]
    [InlineData("NEW_RELIC_LICENSE_KEY=abc123def NEW_RELIC_CONFIG_FILE=newrelic.ini", "NEW_RELIC_LICENSE_KEY=*** NEW_RELIC_CONFIG_FILE=newrelic.ini")]
    [InlineData("Environment=\"DB_PASSWORD=hunter2\" \"WEB_CONCURRENCY=4\"", "Environment=\"DB_PASSWORD=***\" \"WEB_CONCURRENCY=4\"")]
    [InlineData("license_key = 0123456789abcdef", "license_key = ***")]
    [InlineData("--api-token='x y z' --workers=4", "--api-token=*** --workers=4")]
    [InlineData("GET /search?q=gunicorn&access_token=t0k3n HTTP/1.1", "GET /search?q=gunicorn&access_token=*** HTTP/1.1")]
    [InlineData("timeout = 30", "timeout = 30")]
    public void Secrets_are_masked_and_everything_else_kept(string text, string expected)
    {
        SecretRedactor.Redact(text).Should().Be(expected);
    }

    [Fact]
    public void A_variable_named_as_secret_is_masked_whole_but_a_path_to_a_secret_file_is_not()
    {
        SecretRedactor.Value("NEW_RELIC_LICENSE_KEY", "abc").Should().Be("***");
        SecretRedactor.Value("NEW_RELIC_CONFIG_FILE", "newrelic.ini").Should().Be("newrelic.ini");
        SecretRedactor.Value("SSL_KEY_PATH", "/etc/ssl/key.pem").Should().Be("/etc/ssl/key.pem");
    }

    [Theory]
    [InlineData('=')]
    [InlineData(':')]
    public void Pathological_text_is_redacted_in_linear_time(char filler)
    {
        var text = string.Concat(Enumerable.Repeat(filler == '=' ? "KEY=" : "a://", 100_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        SecretRedactor.Redact(text);

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "400 KB must not take quadratic time");
    }
}
