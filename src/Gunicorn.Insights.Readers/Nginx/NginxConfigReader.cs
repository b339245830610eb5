using System.Globalization;
using System.Net;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Reads an nginx configuration file (<c>nginx.conf</c>, a <c>sites-enabled/*</c> or <c>conf.d/*.conf</c> file) into
/// <see cref="ConfigurationScope.Nginx"/> parameters, each with the block it is in as its
/// <see cref="ConfigParameter.Section"/> (<c>http &gt; server example.com &gt; location /api</c>).
/// </summary>
/// <remarks>
/// <para>Parameters (canonical name = the directive; values typed):</para>
/// <list type="bullet">
/// <item><c>proxy_pass</c>: the URL as written (text), e.g. <c>http://unix:/run/gunicorn.sock</c>, <c>http://app_server</c>.</item>
/// <item><c>proxy_pass.target</c> (one per <c>proxy_pass</c>, same line and section): what the proxy_pass reaches, as text:
/// <c>unix-socket</c>, <c>loopback-tcp</c>, <c>remote-tcp</c>, <c>mixed</c> (an upstream whose servers differ),
/// <c>variable</c> (a URL with <c>$</c> variables, resolved per request) or <c>unresolved-upstream</c> (a bare name with no
/// <c>upstream</c> block in this file: one in an included file, or a host name).</item>
/// <item><c>proxy_pass.resolved</c> (one per server, when the proxy_pass names an <c>upstream</c> block of this file):
/// the server as the proxy_pass reaches it, e.g. <c>http://127.0.0.1:8000</c>; written as <c>proxy_pass URL</c>.</item>
/// <item><c>upstream.server</c>: each <c>server</c> line of an <c>upstream NAME { }</c> block (address and options, text),
/// with the section <c>… &gt; upstream NAME</c>.</item>
/// <item><c>proxy_read_timeout</c>, <c>proxy_connect_timeout</c>, <c>proxy_send_timeout</c>, <c>keepalive_timeout</c>:
/// durations keeping the text as written (<c>60s</c>, <c>1m</c>, <c>500ms</c>; a bare number is seconds).</item>
/// <item><c>client_max_body_size</c>: integer bytes (<c>k</c>, <c>m</c>, <c>g</c> are powers of 1024; 0 = unlimited).</item>
/// <item><c>listen</c> (text, all arguments), <c>server_name</c> (list), <c>include</c> (text; the file is not followed,
/// read it in the same batch), <c>access_log</c> (list: path and format name, <c>combined</c> when none is given, or just
/// <c>off</c>), <c>error_log</c> (list: path and level, <c>error</c> when none is given), <c>proxy_buffering</c> (flag),
/// <c>worker_processes</c> (integer, or the text <c>auto</c>), <c>worker_connections</c> (integer).</item>
/// <item><c>log_format</c>: the format text with its strings concatenated; written as <c>log_format NAME</c>, so the
/// access-log reader can find the format an <c>access_log</c> names, and rules can see whether it logs
/// <c>$request_time</c> / <c>$upstream_response_time</c>.</item>
/// </list>
/// <para>Defaults: for every <c>proxy_pass</c> whose location, server and http blocks set no <c>proxy_read_timeout</c>,
/// nginx's default of 60 s is added right after it with <see cref="SettingOrigin.Default"/>, at the proxy_pass's line.</para>
/// <para>Other directives are ignored without a word (nginx has hundreds). Syntax problems (unbalanced braces, an
/// unclosed string, a missing <c>;</c>) and bad values of the directives above are reported with their line, and the
/// rest is read. Credentials in URLs are masked.</para>
/// </remarks>
public sealed class NginxConfigReader : IArtifactReader
{
    /// <summary>The most parameters kept from one file; the rest are reported and dropped.</summary>
    public const int MaximumParameters = 20_000;

    /// <summary>nginx's <c>proxy_read_timeout</c> when none is configured.</summary>
    public static readonly TimeSpan DefaultProxyReadTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] KnownDirectives =
    [
        "server", "location", "proxy_pass", "listen", "server_name", "upstream", "http", "events", "worker_processes",
        "worker_connections", "proxy_read_timeout", "proxy_set_header", "access_log", "error_log", "log_format", "include",
        "root", "client_max_body_size", "keepalive_timeout", "sendfile", "gzip", "ssl_certificate", "proxy_redirect",
        "proxy_buffering", "proxy_connect_timeout", "proxy_send_timeout", "return", "try_files", "alias", "user", "pid",
        "default_type", "upstream", "proxy_http_version", "index",
    ];

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.NginxConfig;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        if (fileName.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".log", StringComparison.OrdinalIgnoreCase)
            || fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var known = 0;
        foreach (var raw in head)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !(line.EndsWith(';') || line.EndsWith('{') || line.EndsWith('}')))
            {
                continue;
            }

            var end = 0;
            while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '_'))
            {
                end++;
            }

            if (end > 0 && end < line.Length && line[end] is ' ' or '\t' or '{' && Array.IndexOf(KnownDirectives, line[..end]) >= 0)
            {
                known++;
            }
        }

        if (known == 0)
        {
            return 0;
        }

        var named = fileName.Contains("nginx", StringComparison.OrdinalIgnoreCase) ? 30
            : fileName.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(fileName) == "default" ? 10 : 0;
        return Math.Min(100, 40 + known * 8 + named);
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        var tokenizer = new NginxConfigTokenizer(state.Directive, state.BlockStart, state.BlockEnd, (line, message) => context.Warn(line, message));
        source.ForEachLine(context, (bytes, number) => tokenizer.Line(context.Text(bytes, number), number));
        tokenizer.Finish(context.Lines);
        state.Finish();
    }

    private sealed class Block(string name, string arguments, long line, Block? parent)
    {
        public string Name { get; } = name;

        public string Arguments { get; } = arguments;

        public long Line { get; } = line;

        public Block? Parent { get; } = parent;

        public string? ServerName { get; set; }

        public bool SetsReadTimeout { get; set; }

        public string Label
        {
            get
            {
                var label = Name == "server" ? (ServerName is null ? "server" : "server " + ServerName)
                    : Arguments.Length == 0 ? Name : Name + " " + Arguments;
                return label.Length > 100 ? label[..100] + "…" : label;
            }
        }

        public string Section => Parent is null ? Label : Parent.Section + " > " + Label;
    }

    private sealed record Entry(string Name, SettingValue Value, string WrittenAs, Block? Block, long Line, string? ProxyPassUrl = null);

    private sealed class State(ReadContext context)
    {
        private const int MaximumDepth = 100;
        private const int MaximumUpstreamServers = 1000;
        private const int MaximumUpstreams = 1000;

        private readonly List<Entry> _entries = [];
        private readonly Dictionary<string, List<string>> _upstreams = new(StringComparer.Ordinal);
        private int _upstreamServers;
        private Block? _current;
        private int _depth;
        private int _ignoredDepth;
        private bool _topSetsReadTimeout;
        private long _dropped;
        private long _firstDropped;

        public void BlockStart(IReadOnlyList<string> words, long line)
        {
            if (_depth >= MaximumDepth)
            {
                if (_ignoredDepth++ == 0)
                {
                    context.Warn(line, $"blocks nested deeper than {MaximumDepth} levels; their contents were not read");
                }

                return;
            }

            var name = words[0];
            var arguments = string.Join(' ', words.Skip(1));
            _current = new Block(name, SecretRedactor.Redact(arguments), line, _current);
            _depth++;
            if (name == "upstream")
            {
                if (words.Count != 2)
                {
                    context.Warn(line, $"upstream block needs exactly one name, got {words.Count - 1}; its servers are read but cannot be resolved");
                }
                else if (_upstreams.Count < MaximumUpstreams)
                {
                    _upstreams.TryAdd(words[1], []);
                }
            }
        }

        public void BlockEnd(long line)
        {
            if (_ignoredDepth > 0)
            {
                _ignoredDepth--;
                return;
            }

            if (_current is null)
            {
                context.Warn(line, "'}' with no block open; ignored");
                return;
            }

            _current = _current.Parent;
            _depth--;
        }

        public void Directive(IReadOnlyList<string> words, long line)
        {
            if (_ignoredDepth > 0)
            {
                return;
            }

            var name = words[0];
            var arguments = words.Count - 1;
            switch (name)
            {
                case "proxy_pass":
                    if (Exactly(1, words, line))
                    {
                        var url = SecretRedactor.Redact(words[1]);
                        Add(new Entry(name, SettingValue.FromText(url), name, _current, line, url));
                    }

                    break;
                case "server" when _current?.Name == "upstream":
                    UpstreamServer(words, line);
                    break;
                case "proxy_read_timeout" or "proxy_connect_timeout" or "proxy_send_timeout":
                    if (Exactly(1, words, line) && Time(words[1], name, line) is { } timeout)
                    {
                        if (name == "proxy_read_timeout")
                        {
                            MarkReadTimeout();
                        }

                        Add(new Entry(name, timeout, name, _current, line));
                    }

                    break;
                case "keepalive_timeout":
                    if (arguments is 1 or 2)
                    {
                        if (Time(words[1], name, line) is { } keepalive)
                        {
                            Add(new Entry(name, keepalive, name, _current, line));
                        }
                    }
                    else
                    {
                        context.Warn(line, $"keepalive_timeout takes one or two values, got {arguments}; skipped");
                    }

                    break;
                case "client_max_body_size":
                    if (Exactly(1, words, line))
                    {
                        if (NginxValues.TryParseSize(words[1], out var bytes))
                        {
                            Add(new Entry(name, SettingValue.Integer(bytes), name, _current, line));
                        }
                        else
                        {
                            context.Warn(line, $"client_max_body_size '{Shorten(words[1])}' is not an nginx size (e.g. 10m); skipped");
                        }
                    }

                    break;
                case "listen":
                    if (AtLeast(1, words, line))
                    {
                        Add(new Entry(name, SettingValue.FromText(SecretRedactor.Redact(string.Join(' ', words.Skip(1)))), name, _current, line));
                    }

                    break;
                case "server_name":
                    if (AtLeast(1, words, line))
                    {
                        if (_current is { Name: "server", ServerName: null } server)
                        {
                            server.ServerName = words[1].Length > 80 ? words[1][..80] : words[1];
                        }

                        Add(new Entry(name, SettingValue.List(words.Skip(1)), name, _current, line));
                    }

                    break;
                case "log_format":
                    LogFormat(words, line);
                    break;
                case "access_log":
                    if (AtLeast(1, words, line))
                    {
                        var path = SecretRedactor.Redact(words[1]);
                        IEnumerable<string> value = path == "off" ? ["off"]
                            : [path, words.Count > 2 && !words[2].Contains('=', StringComparison.Ordinal) ? words[2] : "combined"];
                        Add(new Entry(name, SettingValue.List(value), name, _current, line));
                    }

                    break;
                case "error_log":
                    if (AtLeast(1, words, line))
                    {
                        Add(new Entry(name, SettingValue.List([SecretRedactor.Redact(words[1]), words.Count > 2 ? words[2] : "error"]), name, _current, line));
                    }

                    break;
                case "include":
                    if (Exactly(1, words, line))
                    {
                        Add(new Entry(name, SettingValue.FromText(words[1]), name, _current, line));
                    }

                    break;
                case "proxy_buffering":
                    if (Exactly(1, words, line))
                    {
                        if (words[1] is "on" or "off")
                        {
                            Add(new Entry(name, SettingValue.Boolean(words[1] == "on"), name, _current, line));
                        }
                        else
                        {
                            context.Warn(line, $"proxy_buffering must be on or off, not '{Shorten(words[1])}'; skipped");
                        }
                    }

                    break;
                case "worker_processes" or "worker_connections":
                    if (Exactly(1, words, line))
                    {
                        if (long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                        {
                            Add(new Entry(name, SettingValue.Integer(count), name, _current, line));
                        }
                        else if (name == "worker_processes" && words[1] == "auto")
                        {
                            Add(new Entry(name, SettingValue.FromText("auto"), name, _current, line));
                        }
                        else
                        {
                            context.Warn(line, $"{name} '{Shorten(words[1])}' is not a number; skipped");
                        }
                    }

                    break;
            }
        }

        public void Finish()
        {
            if (_current is not null)
            {
                for (var block = _current; block is not null; block = block.Parent)
                {
                    context.Warn(block.Line, $"block '{block.Label}' is never closed (a missing '}}'); its directives were read");
                }
            }

            if (_dropped > 0)
            {
                context.Warn(_firstDropped, $"more than {MaximumParameters} parameters; {_dropped} from here on were not kept");
            }

            foreach (var entry in _entries)
            {
                Emit(entry.Name, entry.Value, entry.WrittenAs, entry.Block, entry.Line, SettingOrigin.ConfigurationFile);
                if (entry.ProxyPassUrl is { } url)
                {
                    ProxyPass(url, entry);
                }
            }
        }

        private void ProxyPass(string url, Entry entry)
        {
            var (scheme, address) = SplitUrl(url);
            string target;
            List<string>? servers = null;
            if (url.Contains('$', StringComparison.Ordinal))
            {
                target = "variable";
            }
            else if (address.StartsWith("unix:", StringComparison.Ordinal))
            {
                target = "unix-socket";
            }
            else if (!address.Contains(':', StringComparison.Ordinal) && _upstreams.TryGetValue(address, out var found) && found.Count > 0)
            {
                servers = found;
                var kinds = found.Select(ServerKind).Distinct().ToArray();
                target = kinds.Length == 1 ? kinds[0] : "mixed";
            }
            else if (!address.Contains(':', StringComparison.Ordinal) && !address.Contains('.', StringComparison.Ordinal) && !IsLoopback(address))
            {
                target = "unresolved-upstream";
            }
            else
            {
                target = ServerKind(address);
            }

            Emit("proxy_pass.target", SettingValue.FromText(target), "proxy_pass", entry.Block, entry.Line, SettingOrigin.ConfigurationFile);
            if (servers is not null)
            {
                foreach (var server in servers)
                {
                    var resolved = (scheme.Length == 0 ? "" : scheme + "://") + server;
                    Emit("proxy_pass.resolved", SettingValue.FromText(resolved), "proxy_pass " + url, entry.Block, entry.Line, SettingOrigin.ConfigurationFile);
                }
            }

            // The stream module's proxy_pass (no scheme) has no proxy_read_timeout.
            if (scheme.Length > 0 && !_topSetsReadTimeout && !ChainSetsReadTimeout(entry.Block))
            {
                Emit("proxy_read_timeout", SettingValue.Duration(DefaultProxyReadTimeout, "60s"), "proxy_read_timeout", entry.Block, entry.Line,
                    SettingOrigin.Default);
            }
        }

        private void UpstreamServer(IReadOnlyList<string> words, long line)
        {
            if (!AtLeast(1, words, line))
            {
                return;
            }

            var text = SecretRedactor.Redact(string.Join(' ', words.Skip(1)));
            Add(new Entry("upstream.server", SettingValue.FromText(text), "server", _current, line));
            var upstream = _current!.Arguments;
            if (_upstreams.TryGetValue(upstream, out var servers) && _upstreamServers < MaximumUpstreamServers)
            {
                _upstreamServers++;
                servers.Add(SecretRedactor.Redact(words[1]));
            }
        }

        private void LogFormat(IReadOnlyList<string> words, long line)
        {
            if (!AtLeast(2, words, line))
            {
                return;
            }

            var first = 2;
            if (words[2].StartsWith("escape=", StringComparison.Ordinal))
            {
                first = 3;
            }

            if (words.Count <= first)
            {
                context.Warn(line, $"log_format {Shorten(words[1])} has no format string; skipped");
                return;
            }

            var format = string.Concat(words.Skip(first));
            Add(new Entry("log_format", SettingValue.FromText(format), "log_format " + words[1], _current, line));
        }

        private void MarkReadTimeout()
        {
            if (_current is null)
            {
                _topSetsReadTimeout = true;
            }
            else
            {
                _current.SetsReadTimeout = true;
            }
        }

        private static bool ChainSetsReadTimeout(Block? block)
        {
            for (; block is not null; block = block.Parent)
            {
                if (block.SetsReadTimeout)
                {
                    return true;
                }
            }

            return false;
        }

        private SettingValue? Time(string text, string name, long line)
        {
            if (NginxValues.TryParseTime(text, out var value))
            {
                return SettingValue.Duration(value, text);
            }

            context.Warn(line, $"{name} '{Shorten(text)}' is not an nginx time (e.g. 60s, 1m, 500ms); skipped");
            return null;
        }

        private bool Exactly(int count, IReadOnlyList<string> words, long line)
        {
            if (words.Count - 1 == count)
            {
                return true;
            }

            context.Warn(line, $"{words[0]} takes {count} value(s), got {words.Count - 1}; skipped");
            return false;
        }

        private bool AtLeast(int count, IReadOnlyList<string> words, long line)
        {
            if (words.Count - 1 >= count)
            {
                return true;
            }

            context.Warn(line, $"{words[0]} needs at least {count} value(s), got {words.Count - 1}; skipped");
            return false;
        }

        private void Add(Entry entry)
        {
            if (_entries.Count < MaximumParameters)
            {
                _entries.Add(entry);
                return;
            }

            if (_dropped++ == 0)
            {
                _firstDropped = entry.Line;
            }
        }

        private void Emit(string name, SettingValue value, string writtenAs, Block? block, long line, SettingOrigin origin) =>
            context.Add(new ConfigParameter(ConfigurationScope.Nginx, name, value, origin, context.At(line))
            {
                WrittenAs = writtenAs,
                Section = block?.Section,
            });

        /// <summary>The scheme and the address part (host[:port] or unix:path) of a proxy_pass URL.</summary>
        private static (string Scheme, string Address) SplitUrl(string url)
        {
            var separator = url.IndexOf("://", StringComparison.Ordinal);
            var scheme = separator > 0 ? url[..separator] : "";
            var rest = separator > 0 ? url[(separator + 3)..] : url;
            if (rest.StartsWith("unix:", StringComparison.Ordinal))
            {
                // http://unix:/run/gunicorn.sock:/uri — the socket path ends at the next colon.
                var colon = rest.IndexOf(':', 5);
                return (scheme, colon < 0 ? rest : rest[..colon]);
            }

            var at = rest.IndexOf('@', StringComparison.Ordinal);
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (at >= 0 && (slash < 0 || at < slash))
            {
                rest = rest[(at + 1)..];
                slash = rest.IndexOf('/', StringComparison.Ordinal);
            }

            return (scheme, slash < 0 ? rest : rest[..slash]);
        }

        /// <summary>unix-socket, loopback-tcp or remote-tcp for an address (host[:port] or unix:path).</summary>
        private static string ServerKind(string address)
        {
            if (address.StartsWith("unix:", StringComparison.Ordinal))
            {
                return "unix-socket";
            }

            var host = address;
            if (host.StartsWith('['))
            {
                var close = host.IndexOf(']', StringComparison.Ordinal);
                host = close > 0 ? host[1..close] : host;
            }
            else if (host.Count(c => c == ':') == 1)
            {
                host = host[..host.IndexOf(':', StringComparison.Ordinal)];
            }

            return IsLoopback(host) ? "loopback-tcp" : "remote-tcp";
        }

        private static bool IsLoopback(string host) =>
            host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }
}
