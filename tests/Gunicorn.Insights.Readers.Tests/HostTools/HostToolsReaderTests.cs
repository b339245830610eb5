using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.HostTools;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.HostTools;

public sealed class HostToolsReaderTests
{
    private static readonly DateTimeOffset Incident = new(2026, 11, 23, 23, 45, 22, TimeSpan.Zero);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "host", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new HostToolsReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static ReadContext ReadText(string name, string text)
    {
        var context = new ReadContext(name);
        new HostToolsReader().Read(LineSource.FromText(name, text), context);
        return context;
    }

    private static ByteSize MiB(double value) => ByteSize.FromMebibytes(value);

    private static ByteSize KiB(double value) => ByteSize.FromKibibytes(value);

    private static string Problems(ReadContext context) => string.Join(" | ", context.Problems.Select(p => $"{p.Location.Line}: {p.Message}"));

    [Fact]
    public void Free_m_with_its_command_line_is_read_in_MiB()
    {
        var context = Read("free-m.txt");

        var memory = context.Observations.Should().ContainSingle().Which.Should().BeOfType<MemoryUsage>().Subject;
        memory.Source.ToString().Should().Be("free-m.txt:3");
        memory.Total.Should().Be(MiB(3931));
        memory.Available.Should().Be(MiB(380));
        memory.SwapTotal.Should().Be(MiB(2047));
        memory.SwapUsed.Should().Be(MiB(1630));
        memory.Timestamp.Should().BeNull();
        memory.Instance.Should().BeNull();
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Free_h_suffixes_carry_their_own_units()
    {
        var context = Read("free-h.txt");

        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Source.ToString().Should().Be("free-h.txt:2");
        memory.Total.Should().Be(ByteSize.FromGibibytes(3.8));
        memory.Available.Should().Be(MiB(380));
        memory.SwapTotal.Should().Be(ByteSize.FromGibibytes(2.0));
        memory.SwapUsed.Should().Be(ByteSize.FromGibibytes(1.6));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Old_procps_free_takes_available_memory_from_the_buffers_cache_row()
    {
        var context = Read("free-old-procps.txt");

        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Source.ToString().Should().Be("free-old-procps.txt:3");
        memory.Total.Should().Be(KiB(4025448));
        memory.Available.Should().Be(KiB(358932), "the -/+ buffers/cache row's free column");
        memory.SwapTotal.Should().Be(KiB(2097148));
        memory.SwapUsed.Should().Be(KiB(1669120));
        context.Problems.Should().BeEmpty("the pasted command line 'free' says KiB");
    }

    [Fact]
    public void Plain_free_without_a_command_line_is_KiB_when_only_KiB_makes_sense()
    {
        var context = Read("free-default.txt");

        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Total.Should().Be(KiB(24684096));
        memory.Available.Should().Be(KiB(24352536));
        memory.SwapTotal.Should().Be(ByteSize.Zero);
        context.Problems.Should().BeEmpty("24684096 MiB would be 23 TiB");
    }

    [Theory]
    [InlineData("free.txt", "", 3931 * 1024.0 * 1024, "read as MiB (free -m)")]
    [InlineData("free-m.txt", "", 3931 * 1024.0 * 1024, null)]
    [InlineData("free_g.txt", "", 3931 * 1024.0 * 1024 * 1024, null)]
    [InlineData("paste.txt", "$ free --mebi\n", 3931 * 1024.0 * 1024, null)]
    [InlineData("paste.txt", "$ free --si -m\n", 3931 * 1e6, null)]
    [InlineData("paste.txt", "$ free -b\n", 3931, null)]
    [InlineData("paste.txt", "$ docker exec web free -k\n", 3931 * 1024.0, null)]
    public void Free_s_unit_comes_from_the_command_line_the_file_name_or_plausibility(string fileName, string command, double totalBytes, string? problem)
    {
        var context = ReadText(fileName, command + """
                           total        used        free      shared  buff/cache   available
            Mem:            3931        3302         212          57         417         380
            Swap:              0           0           0
            """);

        context.Observations.OfType<MemoryUsage>().Single().Total.Should().Be(new ByteSize((long)Math.Round(totalBytes)));
        if (problem is null)
        {
            context.Problems.Should().BeEmpty();
        }
        else
        {
            context.Problems.Should().ContainSingle().Which.Message.Should().Contain(problem);
        }
    }

    [Fact]
    public void A_free_total_that_could_be_KiB_or_MiB_is_read_as_KiB_and_reported()
    {
        var context = ReadText("paste.txt", """
                           total        used        free      shared  buff/cache   available
            Mem:         1004852      512000      100000       10000      392852      420000
            """);

        context.Observations.OfType<MemoryUsage>().Single().Total.Should().Be(KiB(1004852));
        context.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "paste.txt:2: warning: free's unit is not stated (no command line, -h suffixes or free-m file name); read as KiB, free's default; "
            + "paste the command line (e.g. '$ free -m') to be sure");
    }

    [Fact]
    public void Free_without_an_available_column_or_cache_row_approximates_and_says_so()
    {
        var context = ReadText("paste.txt", """
            $ free -m -o
                         total       used       free     shared    buffers     cached
            Mem:         15975      13129       2845        487        184       1927
            Swap:        15623        246      15377
            """);

        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Available.Should().Be(MiB(2845 + 184 + 1927));
        context.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "paste.txt:3: warning: free printed no 'available' column; available memory approximated as free + buffers + cache");
    }

    [Fact]
    public void Top_batch_output_gives_host_cpu_memory_load_and_the_gunicorn_processes_at_the_date_given_before_it()
    {
        var context = Read("top-batch.txt");

        var load = context.Observations.OfType<Gauge>().ToArray();
        load.Select(g => (g.Name, g.Value, g.Unit, g.Source.ToString(), g.Timestamp)).Should().Equal(
            ("node_load1", 4.12, MetricUnit.Count, "top-batch.txt:4", Incident),
            ("node_load5", 3.87, MetricUnit.Count, "top-batch.txt:4", Incident),
            ("node_load15", 2.95, MetricUnit.Count, "top-batch.txt:4", Incident));

        var cpu = context.Observations.OfType<CpuUsage>().ToArray();
        var host = cpu.Single(c => c.Pid is null);
        host.Utilization.Should().Be(new Percentage(100 - 0.5));
        host.IoWait.Should().Be(new Percentage(0.8));
        host.Source.ToString().Should().Be("top-batch.txt:6");
        host.Timestamp.Should().Be(Incident);

        cpu.Where(c => c.Pid is not null).Select(c => (c.Pid, c.ProcessName, c.Utilization.Value, c.Source.Line)).Should().Equal(
            (7685, "gunicorn", 99.7, 11), (7686, "gunicorn", 99.3, 12), (7702, "gunicorn", 98.9, 13), (7657, "gunicorn", 0.0, 15));
        cpu.Should().OnlyContain(c => c.Timestamp == Incident);

        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Source.ToString().Should().Be("top-batch.txt:7");
        memory.Total.Should().Be(MiB(3931.8));
        memory.Available.Should().Be(MiB(380.5));
        memory.SwapTotal.Should().Be(MiB(2048));
        memory.SwapUsed.Should().Be(MiB(1630.2));
        memory.Timestamp.Should().Be(Incident);
        context.Problems.Should().BeEmpty();
        context.FirstTimestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 20, TimeSpan.Zero), "the date line");
    }

    [Fact]
    public void Top_without_a_date_before_it_gives_no_timestamp()
    {
        var text = File.ReadAllText(Sample("top-batch.txt"));
        var context = ReadText("top.txt", text[text.IndexOf("top - ", StringComparison.Ordinal)..]);

        context.Observations.Should().NotBeEmpty().And.OnlyContain(o => o.Timestamp == null);
        context.Observations.OfType<CpuUsage>().Count(c => c.Pid is not null).Should().Be(4);
    }

    [Fact]
    public void A_time_of_day_just_after_midnight_lands_on_the_day_after_the_date_line()
    {
        var context = ReadText("top.txt", """
            Mon Nov 23 23:59:58 UTC 2026
            top - 00:00:03 up 12 days,  3:04,  1 user,  load average: 4.12, 3.87, 2.95
            %Cpu(s): 97.3 us,  1.2 sy,  0.0 ni,  0.5 id,  0.8 wa,  0.0 hi,  0.2 si,  0.0 st
            """);

        context.Observations.OfType<CpuUsage>().Single().Timestamp.Should().Be(new DateTimeOffset(2026, 11, 24, 0, 0, 3, TimeSpan.Zero));
    }

    [Fact]
    public void Interactive_top_with_per_cpu_lines_setproctitle_names_and_a_decimal_comma_is_read()
    {
        var context = Read("top-interactive.txt");

        context.Observations.OfType<Gauge>().Select(g => g.Value).Should().Equal(8.31, 6.02, 3.40);
        var host = context.Observations.OfType<CpuUsage>().Single(c => c.Pid is null);
        host.Utilization.Value.Should().BeApproximately((100 + 100 + 98 + 6) / 4.0, 1e-9, "the average of the four %CpuN lines");
        host.IoWait!.Value.Value.Should().BeApproximately((0.3 + 1.7 + 0.7 + 0.7) / 4, 1e-9);
        host.Source.ToString().Should().Be("top-interactive.txt:3");

        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Total.Should().Be(KiB(8009024));
        memory.Available.Should().Be(KiB(511060));
        memory.SwapUsed.Should().Be(KiB(1970564));

        context.Observations.OfType<CpuUsage>().Where(c => c.Pid is not null).Select(c => (c.Pid, c.ProcessName, c.Utilization.Value, c.Source.Line)).Should().Equal(
            (2291, "gunicorn: worker [dashboard]", 100.0, 11),
            (2293, "gunicorn: worker [dashboard]", 99.7, 12),
            (2301, "/usr/bin/python3 /usr/local/bin/gunicorn app:server -w 4 -b 0.0.0.0:8000 --env API_TOKEN=***", 12.0, 13),
            (2290, "gunicorn: master [dashboard]", 0.3, 14));
        context.Observations.Should().NotContain(o => o.ToString().Contains("hunter2"));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Procps_3_2_top_with_percent_signs_and_k_suffixes_is_read_and_its_missing_avail_reported()
    {
        var context = Read("top-procps-3.2.txt");

        var host = context.Observations.OfType<CpuUsage>().Single(c => c.Pid is null);
        host.Utilization.Value.Should().BeApproximately(96.5, 1e-9);
        host.IoWait.Should().Be(new Percentage(27.8));
        var memory = context.Observations.OfType<MemoryUsage>().Single();
        memory.Total.Should().Be(KiB(3922928));
        memory.Available.Should().Be(KiB(266664 + 192124 + 964348));
        memory.SwapTotal.Should().Be(KiB(4128760));
        memory.SwapUsed.Should().Be(KiB(983040));
        context.Observations.OfType<CpuUsage>().Where(c => c.Pid is not null).Select(c => c.Pid).Should().Equal(3120, 3118);
        Problems(context).Should().Be("4: top printed no 'avail Mem'; available memory approximated as free + buffers + cache");
    }

    [Fact]
    public void Vmstat_gives_cpu_and_swap_per_sample_after_skipping_the_since_boot_one()
    {
        var context = Read("vmstat.txt");

        var cpu = context.Observations.OfType<CpuUsage>().ToArray();
        cpu.Select(c => (c.Source.Line, c.Utilization.Value, c.IoWait!.Value.Value, c.BlockedProcesses)).Should().Equal(
            (5, 98.0, 25.0, 4), (6, 100.0, 33.0, 7), (7, 96.0, 28.0, 5), (8, 70.0, 13.0, 3));
        cpu.Should().OnlyContain(c => c.Window == TimeSpan.FromSeconds(1) && c.Pid == null && c.Timestamp == null);

        var swap = context.Observations.OfType<SwapActivity>().ToArray();
        swap.Select(s => (s.Source.Line, s.SwapIn, s.SwapOut)).Should().Equal(
            (5, DataRate.FromKibibytesPerSecond(2816), DataRate.FromKibibytesPerSecond(4352)),
            (6, DataRate.FromKibibytesPerSecond(3904), DataRate.FromKibibytesPerSecond(7168)),
            (7, DataRate.FromKibibytesPerSecond(2048), DataRate.FromKibibytesPerSecond(4096)),
            (8, DataRate.FromKibibytesPerSecond(512), DataRate.FromKibibytesPerSecond(1024)));
        swap.Should().OnlyContain(s => s.Window == TimeSpan.FromSeconds(1));
        context.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            "vmstat.txt:4: warning: vmstat's first sample averages everything since boot, not the interval; skipped");
    }

    [Fact]
    public void Vmstat_t_samples_carry_their_timestamps_and_the_interval_between_them()
    {
        var context = Read("vmstat-t.txt");

        context.Observations.OfType<CpuUsage>().Select(c => (c.Source.Line, c.Timestamp, c.Window, c.Utilization.Value)).Should().Equal(
            (4, Incident.AddSeconds(-2), TimeSpan.FromSeconds(2), 99.0), (5, Incident, TimeSpan.FromSeconds(2), 99.0));
        context.Observations.OfType<SwapActivity>().Should().OnlyContain(s => s.SwapIn == DataRate.Zero && s.Timestamp != null);
        context.Problems.Should().ContainSingle().Which.Location.Line.Should().Be(3);
    }

    [Fact]
    public void Vmstat_timestamps_in_a_zone_of_unknown_offset_are_dropped_and_reported_once()
    {
        var context = ReadText("vmstat.txt", """
            $ vmstat -t -y 1 2
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu----- -----timestamp-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 CET
             7  0      0 24261120   7876 291500    0    0     0    12 4120 8830 96  3  1  0  0 2026-11-23 23:45:20
             8  0      0 24259904   7876 291500    0    0     0     0 4208 8912 97  2  1  0  0 2026-11-23 23:45:21
            """);

        context.Observations.OfType<CpuUsage>().Should().HaveCount(2, "-y omits the since-boot sample").And.OnlyContain(c => c.Timestamp == null);
        Problems(context).Should().Be("4: vmstat -t's time zone 'CET' has no known offset; its samples have no timestamp (run it with TZ=UTC)");
    }

    [Fact]
    public void A_file_concatenating_several_tools_reads_each_section_by_its_header()
    {
        var context = Read("diagnostics.txt");

        context.Observations.Select(o => $"{o.Source.Line} {o.GetType().Name}").Should().Equal(
            "6 HostFacts", "11 HostFacts", "15 MemoryUsage", "21 CpuUsage", "21 SwapActivity", "22 CpuUsage", "22 SwapActivity",
            "24 Gauge", "24 Gauge", "24 Gauge", "26 CpuUsage", "27 MemoryUsage", "31 CpuUsage", "32 CpuUsage",
            "37 Gauge", "37 Gauge", "37 Gauge", "34 FilesystemMount", "35 FilesystemMount");
        context.Observations.OfType<HostFacts>().Should().OnlyContain(h => h.CpuCount == 2);
        context.Observations.OfType<MemoryUsage>().First().Total.Should().Be(MiB(3931));

        // vmstat -S M: si/so in MiB/s, every 2 s.
        var swap = context.Observations.OfType<SwapActivity>().First();
        swap.SwapIn.Should().Be(new DataRate(3 * 1024 * 1024));
        swap.SwapOut.Should().Be(new DataRate(5 * 1024 * 1024));
        swap.Window.Should().Be(TimeSpan.FromSeconds(2));

        var top = new DateTimeOffset(2026, 11, 23, 23, 50, 9, TimeSpan.Zero);
        context.Observations.Where(o => o.Source.Line is >= 24 and <= 32).Should().OnlyContain(o => o.Timestamp == top);
        context.Observations.OfType<Gauge>().Last().Timestamp.Should().Be(top.AddSeconds(2), "uptime's time of day");
        context.Observations.OfType<FilesystemMount>().Select(m => m.Describe()).Should().Equal("/dev/shm is tmpfs (memory-backed)", "/tmp is ext4");
        Problems(context).Should().Be("20: vmstat's first sample averages everything since boot, not the interval; skipped");
    }

    [Fact]
    public void Proc_mounts_gives_every_mount_with_escapes_undone()
    {
        var context = Read("mounts.txt");

        var mounts = context.Observations.OfType<FilesystemMount>().ToArray();
        mounts.Should().HaveCount(11);
        mounts.Select(m => (m.MountPoint, m.FilesystemType, m.Source.Line)).Should().Contain([
            ("/", "overlay", 1), ("/dev/shm", "tmpfs", 8), ("/tmp", "ext4", 9), ("/srv/app/shared data", "ext4", 11)]);
        mounts.Single(m => m.MountPoint == "/dev/shm").IsMemoryBacked.Should().BeTrue();
        FilesystemMount.Containing("/tmp/wgunicorn-k2j3", mounts)!.FilesystemType.Should().Be("ext4");
        FilesystemMount.Containing("/srv/app/static", mounts)!.FilesystemType.Should().Be("overlay");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Df_T_rows_including_a_wrapped_device_name_and_a_mount_point_with_a_space()
    {
        var context = Read("df-T.txt");

        context.Observations.OfType<FilesystemMount>().Select(m => (m.MountPoint, m.FilesystemType, m.Source.Line)).Should().Equal(
            ("/", "overlay", 3), ("/dev", "tmpfs", 4), ("/dev/shm", "tmpfs", 5), ("/tmp", "ext4", 7), ("/srv/app/media files", "xfs", 8));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Mountinfo_findmnt_and_mount_output_are_read_and_a_later_line_for_the_same_mount_point_wins()
    {
        var context = ReadText("mounts.txt", """
            36 35 98:0 / /tmp rw,relatime master:1 - ext4 /dev/sda1 rw,errors=continue
            41 36 0:44 / /dev/shm rw,nosuid,nodev - tmpfs shm rw,size=65536k
            $ findmnt
            TARGET                SOURCE     FSTYPE  OPTIONS
            /                     overlay    overlay rw,relatime
            ├─/dev                tmpfs      tmpfs   rw,nosuid
            │ └─/dev/shm          shm        tmpfs   rw,nosuid,nodev
            `-/srv/data           /dev/sdb1  xfs     rw,relatime
            $ mount
            tmpfs on /tmp type tmpfs (rw,nosuid,nodev)
            """);

        context.Observations.OfType<FilesystemMount>().Select(m => (m.MountPoint, m.FilesystemType, m.Source.Line)).Should().Equal(
            ("/tmp", "tmpfs", 10), ("/dev/shm", "tmpfs", 7), ("/", "overlay", 5), ("/dev", "tmpfs", 6), ("/srv/data", "xfs", 8));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Df_without_T_is_reported_because_it_shows_no_types()
    {
        var context = ReadText("df.txt", """
            Filesystem     1K-blocks     Used Available Use% Mounted on
            /dev/sda1       61255652 48123400  13115868  79% /tmp
            """);

        context.Observations.Should().BeEmpty();
        Problems(context).Should().Be("1: df was run without -T: it shows no filesystem types, so its mounts were not read (run df -T)");
    }

    [Fact]
    public void Nproc_lscpu_and_meminfo_give_host_facts()
    {
        Read("nproc.txt").Observations.Should().ContainSingle().Which.Should().BeOfType<HostFacts>()
            .Which.Should().Match<HostFacts>(h => h.CpuCount == 4 && h.Source.ToString() == "nproc.txt:1" && h.Platform == PlatformKind.Unknown);

        var meminfo = Read("meminfo.txt");
        var memory = meminfo.Observations.OfType<MemoryUsage>().Single();
        memory.Source.ToString().Should().Be("meminfo.txt:2");
        memory.Total.Should().Be(KiB(4025448));
        memory.Available.Should().Be(KiB(358932));
        memory.SwapTotal.Should().Be(KiB(2097148));
        memory.SwapUsed.Should().Be(KiB(2097148 - 428028));
        var facts = meminfo.Observations.OfType<HostFacts>().Single();
        facts.Memory.Should().Be(KiB(4025448));
        facts.Swap.Should().Be(KiB(2097148));
        facts.Source.Line.Should().Be(2);
        meminfo.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Meminfo_of_an_old_kernel_without_MemAvailable_is_approximated_and_reported()
    {
        var context = ReadText("meminfo.txt", """
            MemTotal:        4025448 kB
            MemFree:          135688 kB
            Buffers:           12044 kB
            Cached:           211200 kB
            """);

        context.Observations.OfType<MemoryUsage>().Single().Available.Should().Be(KiB(135688 + 12044 + 211200));
        context.Problems.Should().ContainSingle().Which.Location.Line.Should().Be(1);
    }

    [Theory]
    [InlineData("env-kubernetes.txt", PlatformKind.Kubernetes, 7)]
    [InlineData("env-heroku.txt", PlatformKind.Heroku, 2)]
    [InlineData("env-cloudrun.txt", PlatformKind.GoogleCloudRun, 1)]
    [InlineData("env-appengine.txt", PlatformKind.GoogleAppEngine, 1)]
    [InlineData("env-azure.txt", PlatformKind.AzureAppService, 5)]
    [InlineData("ls-dockerenv.txt", PlatformKind.Docker, 5)]
    public void Platform_hints_give_the_platform_and_no_variable_value(string sample, PlatformKind platform, int line)
    {
        var context = Read(sample);

        var facts = context.Observations.Should().ContainSingle().Which.Should().BeOfType<HostFacts>().Subject;
        facts.Platform.Should().Be(platform);
        facts.Source.Line.Should().Be(line);
        facts.CpuCount.Should().BeNull();
        context.Problems.Should().BeEmpty();
        foreach (var secret in new[] { "s3cr3t", "p4ssw0rd", "Winter2026", "django-insecure", "dashboard-prod" })
        {
            facts.ToString().Should().NotContain(secret);
        }
    }

    [Fact]
    public void The_most_specific_platform_wins_and_cgroup_paths_count()
    {
        ReadText("cgroup.txt", "$ cat /proc/1/cgroup\n0::/kubepods/burstable/pod3f2a/9c1d\n").Observations.OfType<HostFacts>().Single().Platform
            .Should().Be(PlatformKind.Kubernetes);
        ReadText("cgroup.txt", "12:memory:/docker/3f2a9c1d7b4e\n").Observations.OfType<HostFacts>().Single().Platform.Should().Be(PlatformKind.Docker);
        ReadText("env.txt", "KUBERNETES_SERVICE_HOST=10.0.0.1\nK_SERVICE=api\n").Observations.OfType<HostFacts>().Single()
            .Should().Match<HostFacts>(h => h.Platform == PlatformKind.GoogleCloudRun && h.Source.Line == 2);
        ReadText("env.txt", "HOME=/root\nPATH=/usr/bin\n").Observations.Should().BeEmpty();
    }

    [Fact]
    public void Uptime_loadavg_and_date_formats_are_read()
    {
        var context = ReadText("paste.txt", """
            $ date -R
            Mon, 23 Nov 2026 23:45:20 +0000
            $ uptime
             23:45:22 up 12 days,  3:04,  1 user,  load average: 4.12, 3.87, 2.95
            $ cat /proc/loadavg
            4.20 3.90 2.96 6/412 7702
            """);

        context.Observations.OfType<Gauge>().Select(g => (g.Source.Line, g.Name, g.Value, g.Timestamp)).Should().Equal(
            (4, "node_load1", 4.12, Incident), (4, "node_load5", 3.87, Incident), (4, "node_load15", 2.95, Incident),
            (6, "node_load1", 4.20, null), (6, "node_load5", 3.90, null), (6, "node_load15", 2.96, null));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Malformed_sections_are_reported_with_their_lines_and_the_rest_is_read()
    {
        var context = Read("malformed.txt");

        Problems(context).Should().Be(string.Join(" | ",
            "3: free's Mem: row has an unreadable value 'lots'; the row was skipped",
            "8: vmstat's first sample averages everything since boot, not the interval; skipped",
            "9: vmstat sample has 11 values where the header has 17; skipped",
            "13: top's CPU line has an unreadable value 'lots id'; skipped",
            "14: top cut the Mem line's values short ('+': the column is too narrow); skipped — run top with -E m or -E g",
            "19: top's process row has 3 columns where the header has 12; skipped",
            "20: top's row for 'gunicorn' has an unreadable PID or %CPU; skipped",
            "22: nproc's output is not a CPU count: 'four'; skipped",
            "25: df row does not have the header's columns (no Use% value where expected); skipped"));
        context.Observations.Select(o => $"{o.Source.Line} {o.GetType().Name}").Should().Equal(
            "10 CpuUsage", "10 SwapActivity", "12 Gauge", "12 Gauge", "12 Gauge", "18 CpuUsage", "26 FilesystemMount");
    }

    [Fact]
    public void Terminal_escapes_of_a_captured_interactive_top_are_ignored()
    {
        var context = ReadText("top.txt",
            "\u001b[H\u001b[2Jtop - 23:45:22 up 12 days,  3:04,  1 user,  load average: 4.12, 3.87, 2.95\n"
            + "%Cpu(s):\u001b[m\u001b[1m 97.3 \u001b[m us,\u001b[1m  1.2 \u001b[m sy,  0.0 ni,  0.5 id,  0.8 wa,  0.0 hi,  0.2 si,  0.0 st\n");

        context.Observations.OfType<CpuUsage>().Single().Utilization.Should().Be(new Percentage(99.5));
    }

    [Fact]
    public void Every_sample_is_recognised_and_no_other_kind_claims_it()
    {
        var reader = new HostToolsReader();
        var errorLog = new GunicornErrorLogReader();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "host")))
        {
            var head = LineSource.FromFile(file).Head();
            var name = Path.GetFileName(file);
            reader.Recognize(name, head).Should().BeGreaterThan(30, name);
            errorLog.Recognize(name, head).Should().Be(0, name);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "stacks")).Append(
            Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", "error-23.log")))
        {
            reader.Recognize(Path.GetFileName(file), LineSource.FromFile(file).Head()).Should().Be(0, file);
        }

        reader.Recognize("notes.txt", ["the incident started at midnight", "HOME=/root"]).Should().Be(0);
        reader.Recognize("production.env", ["WEB_CONCURRENCY=3", "DATABASE_URL=postgres://db/app"]).Should().Be(0);
    }

    [Fact]
    public void Observations_have_locations_and_no_instance()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "host")))
        {
            var context = Read(Path.GetFileName(file));
            context.Observations.Should().OnlyContain(o => o.Source.Line > 0 && o.Instance == null, file);
        }
    }

    [Fact]
    public void HostToolsReader_survives_mutated_input()
    {
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "host")).Order(StringComparer.Ordinal).ToArray();

        var elapsed = MutatedSamples.Run(new HostToolsReader(), samples, seed: 20261123);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
