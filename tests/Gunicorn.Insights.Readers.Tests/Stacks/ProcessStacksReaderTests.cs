using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.HostTools;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Stacks;
using Gunicorn.Insights.Readers.Tests.HostTools;
using Gunicorn.Insights.Rules;

namespace Gunicorn.Insights.Readers.Tests.Stacks;

public sealed class ProcessStacksReaderTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "stacks", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new ProcessStacksReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static ReadContext ReadText(string name, string text)
    {
        var context = new ReadContext(name);
        new ProcessStacksReader().Read(LineSource.FromText(name, text), context);
        return context;
    }

    private static string Problems(ReadContext context) => string.Join(" | ", context.Problems.Select(p => $"{p.Location.Line}: {p.Message}"));

    [Fact]
    public void A_py_spy_dump_with_subprocesses_gives_one_stack_per_process_with_its_name()
    {
        var context = Read("py-spy-subprocesses.txt");

        context.Observations.OfType<SoftwareVersion>().Should().ContainSingle().Which.Should().Match<SoftwareVersion>(v =>
            v.Component == "python" && v.Version == new Version(3, 11, 2) && v.Source.ToString() == "py-spy-subprocesses.txt:2");
        var stacks = context.Observations.OfType<StackSnapshot>().ToArray();
        stacks.Select(s => (s.Pid, s.ProcessName, s.IsMaster, s.Source.ToString())).Should().Equal(
            (7657, "gunicorn: master [app]", true, "py-spy-subprocesses.txt:4"),
            (7685, "gunicorn: worker [app]", false, "py-spy-subprocesses.txt:17"),
            (7686, "gunicorn: worker [app]", false, "py-spy-subprocesses.txt:37"));

        var heartbeat = stacks[1];
        heartbeat.Frames.Should().Equal(
            "notify (gunicorn/workers/workertmp.py:46)", "notify (gunicorn/workers/base.py:72)", "run_for_one (gunicorn/workers/sync.py:69)",
            "run (gunicorn/workers/sync.py:125)", "init_process (gunicorn/workers/base.py:142)", "spawn_worker (gunicorn/arbiter.py:609)",
            "spawn_workers (gunicorn/arbiter.py:641)", "manage_workers (gunicorn/arbiter.py:570)", "run (gunicorn/arbiter.py:202)",
            "run (gunicorn/app/base.py:72)", "run (gunicorn/app/base.py:231)", "run (gunicorn/app/wsgiapp.py:67)", "<module> (gunicorn:8)");
        heartbeat.Mentions("workertmp").Should().BeTrue();
        heartbeat.BlockedSystemCall.Should().BeNull();

        var socketRead = stacks[2];
        socketRead.Frames[0].Should().Be("readinto (socket.py:706)");
        socketRead.Frames.Should().HaveCount(30).And.Contain("fetch_rates (app/services/fx.py:41)");
        socketRead.Mentions("workertmp").Should().BeFalse();
        stacks[0].Frames.Should().HaveCount(6);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Of_several_threads_the_active_one_comes_first_and_the_others_follow_behind_markers()
    {
        var context = Read("py-spy-gthread.txt");

        var stack = context.Observations.OfType<StackSnapshot>().Single();
        stack.Pid.Should().Be(9);
        stack.ProcessName.Should().Be("/usr/local/bin/python /usr/local/bin/gunicorn --worker-class gthread --threads 4 --bind 0.0.0.0:8000 app:server");
        stack.Source.ToString().Should().Be("py-spy-gthread.txt:16", "the active+gil thread's line");
        stack.Frames.Should().HaveCount(10 + 1 + 11 + 1 + 4);
        stack.Frames.Take(2).Should().Equal("build_report (app/reports.py:57)", "dashboard (app/views.py:88)");
        stack.Frames[10].Should().Be("--- thread 0x7F3A2B4C5740 \"MainThread\" (idle) ---");
        stack.Frames[11].Should().Be("select (selectors.py:468)");
        stack.Frames[22].Should().Be("--- thread 0x7F3A1EFFD6C0 \"ThreadPoolExecutor-0_1\" (idle) ---");
        context.Observations.OfType<SoftwareVersion>().Single().Version.Should().Be(new Version(3, 12, 7));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void A_pasted_thread_without_its_process_line_takes_the_main_thread_id_and_drops_locals()
    {
        var context = Read("py-spy-utime-locals.txt");

        var stack = context.Observations.Should().ContainSingle().Which.Should().BeOfType<StackSnapshot>().Subject;
        stack.Pid.Should().Be(12, "on Linux py-spy prints native thread ids and the main thread's is the pid");
        stack.ProcessName.Should().BeNull();
        stack.Source.ToString().Should().Be("py-spy-utime-locals.txt:1");
        stack.Frames.Should().Equal(
            "notify (gunicorn/workers/workertmp.py:49)", "notify (gunicorn/workers/base.py:75)", "run_for_one (gunicorn/workers/sync.py:70)",
            "run (gunicorn/workers/sync.py:126)", "init_process (gunicorn/workers/base.py:143)", "spawn_worker (gunicorn/arbiter.py:622)",
            "<module> (gunicorn:8)");
        stack.ToString().Should().NotContain("Winter2026");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Faulthandler_dumps_take_the_pid_named_before_them_or_zero_with_a_warning()
    {
        var context = Read("faulthandler.txt");

        var stacks = context.Observations.OfType<StackSnapshot>().ToArray();
        stacks.Should().HaveCount(2);

        stacks[0].Pid.Should().Be(7686);
        stacks[0].Source.ToString().Should().Be("faulthandler.txt:11", "the current thread's line");
        stacks[0].Frames.Take(3).Should().Equal(
            "execute (/usr/local/lib/python3.11/site-packages/psycopg2/extras.py:146)",
            "monthly_totals (/srv/app/reports/queries.py:212)",
            "annual_report (/srv/app/views.py:88)");
        stacks[0].Frames.Should().HaveCount(11 + 1 + 6);
        stacks[0].Frames[11].Should().Be("--- thread 0x00007f3a1f7fe6c0 ---");
        stacks[0].Frames[12].Should().Be("wait (/usr/lib/python3.11/threading.py:324)");

        stacks[1].Pid.Should().Be(0);
        stacks[1].Source.Line.Should().Be(26);
        stacks[1].Frames.Should().Equal(
            "notify (/usr/local/lib/python3.11/site-packages/gunicorn/workers/workertmp.py:46)",
            "notify (/usr/local/lib/python3.11/site-packages/gunicorn/workers/base.py:72)",
            "run_for_one (/usr/local/lib/python3.11/site-packages/gunicorn/workers/sync.py:69)");
        Problems(context).Should().Be("26: faulthandler dump with no pid named before it (e.g. 'pid: 7685'); its stack is recorded as pid 0");
    }

    [Fact]
    public void A_faulthandler_dump_after_a_worker_timeout_line_takes_that_worker_s_pid()
    {
        var context = ReadText("stderr.txt", """
            [2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)
            Fatal Python error: Aborted

            Stack (most recent call first):
              File "/usr/local/lib/python3.12/site-packages/gunicorn/workers/workertmp.py", line 49 in notify
              File "/usr/local/lib/python3.12/site-packages/gunicorn/workers/base.py", line 75 in notify
              <no Python frame>
            """);

        var stack = context.Observations.OfType<StackSnapshot>().Single();
        stack.Pid.Should().Be(7685);
        stack.Source.Line.Should().Be(4);
        stack.Frames.Should().HaveCount(2);
        stack.Mentions("workertmp").Should().BeTrue();
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Strace_keeps_the_slowest_call_per_pid_past_idle_selects()
    {
        var context = Read("strace.txt");

        var stacks = context.Observations.OfType<StackSnapshot>().ToArray();
        stacks.Select(s => (s.Pid, s.BlockedSystemCall, s.BlockedFor, s.Source.ToString())).Should().Equal(
            (7686, "recvfrom", TimeSpan.FromSeconds(3.201554), "strace.txt:4"),
            (7685, "fchmod", TimeSpan.FromSeconds(12.404712), "strace.txt:6"));
        stacks.Should().OnlyContain(s => s.Frames.Count == 0 && s.ProcessName == null && s.Timestamp == null);
        stacks[1].Describe().Should().Be("pid 7685: blocked in fchmod");
        stacks.Should().NotContain(s => s.ToString().Contains("Bearer"));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void A_single_process_strace_takes_the_attached_pid_and_the_call_cut_off_when_it_detached()
    {
        var context = Read("strace-single.txt");

        var stack = context.Observations.OfType<StackSnapshot>().Single();
        stack.Pid.Should().Be(7702);
        stack.BlockedSystemCall.Should().Be("poll");
        stack.BlockedFor.Should().BeNull("the call never returned while strace watched");
        stack.Source.ToString().Should().Be("strace-single.txt:10");
        stack.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 25, TimeSpan.Zero).AddTicks(1155010));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Strace_variants_are_read_and_their_gaps_reported()
    {
        // strace -f -o merged output: a bare pid prefix; a worker killed in a call stays blocked in it; a worker that
        // only waited in select shows that; quick calls and exit_group show nothing.
        var merged = ReadText("strace.out", """
            7685  utimensat(6, NULL, [{tv_sec=4215, tv_nsec=0}, {tv_sec=4215, tv_nsec=0}], 0) = 0 <2.500112>
            7686  futex(0x7f3a2c0a1d80, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>
            7686  +++ killed by SIGKILL +++
            7687  select(8, [7], [], [7], {tv_sec=15, tv_usec=0}) = 0 (Timeout) <15.001000>
            7688  fsync(5 <unfinished ...>
            7688  <... fsync resumed>)              = ?
            7689  getpid()                          = 7689 <0.000004>
            7689  exit_group(0)                     = ?
            7689  +++ exited with 0 +++
            """);
        merged.Observations.OfType<StackSnapshot>().Select(s => (s.Pid, s.BlockedSystemCall, s.BlockedFor, s.Source.Line)).Should().Equal(
            (7685, "utimensat", TimeSpan.FromSeconds(2.500112), 1), (7686, "futex", null, 2), (7687, "select", TimeSpan.FromSeconds(15.001), 4),
            (7688, "fsync", null, 5));
        merged.Problems.Should().BeEmpty();

        // No -T and no pid anywhere.
        var bare = ReadText("strace.txt", """
            fchmod(6, 01)                           = 0
            recvfrom(9,
            """);
        bare.Observations.OfType<StackSnapshot>().Single().Should().Match<StackSnapshot>(s => s.Pid == 0 && s.BlockedSystemCall == "recvfrom");
        Problems(bare).Should().Be(
            "1: strace lines without a [pid N] prefix, and no 'strace: Process N attached' line or strace -p command names the process; recorded as pid 0"
            + " | 1: strace was run without -T: no call shows how long it took, so only calls left unfinished are reported");

        // Quick calls only: nothing was blocked. The pid comes from the command line.
        var quick = ReadText("strace.txt", "$ strace -T -p 7702\nfchmod(6, 0) = 0 <0.000017>\n");
        quick.Observations.Should().BeEmpty();
        quick.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Malformed_dumps_are_reported_with_their_lines_and_the_rest_is_read()
    {
        var context = ReadText("dump.txt", """
            Process 7690: gunicorn: worker [app]
            Python vX.Y (/usr/bin/python3)

            Error: Failed to copy PyInterpreterState from process
                orphan (gunicorn/workers/sync.py:1)
            Process 7691: gunicorn: worker [app]
            Python v3.11.2 (/usr/bin/python3.11)

            Thread 7691 (idle): "MainThread"
                wait (gunicorn/workers/sync.py:34)
            Thread 0x00007f0c55e2b740 (most recent call first):
            """);

        Problems(context).Should().Be(string.Join(" | ",
            "2: unrecognised Python version in 'Python vX.Y (/usr/bin/python3)'",
            "4: py-spy reported an error: Failed to copy PyInterpreterState from process",
            "5: a py-spy frame before any Thread line; skipped",
            "1: py-spy shows no Python frames for process 7690; no stack was read",
            "11: faulthandler dump without frames; no stack was read"));
        context.Observations.OfType<StackSnapshot>().Single().Should().Match<StackSnapshot>(s => s.Pid == 7691 && s.Frames.Count == 1 && s.Source.Line == 9);
    }

    [Fact]
    public void Secrets_on_a_py_spy_command_line_are_masked()
    {
        var context = ReadText("dump.txt", """
            Process 12: /usr/local/bin/python /usr/local/bin/gunicorn app:app --env DATABASE_URL=postgres://app:pw1@db/app --env API_KEY=abc123
            Python v3.11.2 (/usr/local/bin/python3.11)

            Thread 12 (active+gil): "MainThread"
                index (app/views.py:10)
            """);

        var name = context.Observations.OfType<StackSnapshot>().Single().ProcessName;
        name.Should().Be("/usr/local/bin/python /usr/local/bin/gunicorn app:app --env DATABASE_URL=postgres://***@db/app --env API_KEY=***");
    }

    [Fact]
    public void Every_sample_is_recognised_and_no_other_kind_claims_it()
    {
        var reader = new ProcessStacksReader();
        var errorLog = new GunicornErrorLogReader();
        var host = new HostToolsReader();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "stacks")))
        {
            var head = LineSource.FromFile(file).Head();
            var name = Path.GetFileName(file);
            reader.Recognize(name, head).Should().BeGreaterThan(80, name);
            errorLog.Recognize(name, head).Should().Be(0, name);
            host.Recognize(name, head).Should().Be(0, name);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "host"))
            .Concat(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn"))))
        {
            reader.Recognize(Path.GetFileName(file), LineSource.FromFile(file).Head()).Should().Be(0, file);
        }

        reader.Recognize("notes.txt", ["we restarted it (twice) = no change"]).Should().BeLessThan(50);
    }

    [Fact]
    public void A_worker_stack_in_the_heartbeat_and_a_disk_backed_tmp_diagnose_the_blocked_heartbeat()
    {
        var observations = new List<Gunicorn.Insights.Observations.Observation>();
        foreach (var (reader, path) in new (IArtifactReader, string)[]
            {
                (new HostToolsReader(), Path.Combine(AppContext.BaseDirectory, "Samples", "host", "mounts.txt")),
                (new ProcessStacksReader(), Sample("py-spy-subprocesses.txt")),
            })
        {
            var context = new ReadContext(path, instance: "web-1");
            reader.Read(LineSource.FromFile(path), context);
            observations.AddRange(context.Observations);
        }

        var session = RuleSet.FromAssemblies(typeof(RuleDescriptors).Assembly).Compile().CreateSession();
        session.InsertAll(observations);
        session.Fire();

        var diagnosis = session.Diagnoses.Should().Contain(d => d.Id == "GI1005").Subject;
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Contain(Sample("py-spy-subprocesses.txt") + ":17");
    }

    [Fact]
    public void ProcessStacksReader_survives_mutated_input()
    {
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "stacks")).Order(StringComparer.Ordinal).ToArray();

        var elapsed = MutatedSamples.Run(new ProcessStacksReader(), samples, seed: 7685);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
