#!/usr/bin/env bash
# Measures gunicorn-insights against peer tools on generated inputs, in one command:
#   bench/run.sh            everything (about 25 minutes on 2 cores, 15 once the inputs exist; needs about 14 GB free for the inputs)
#   BENCH_SKIP_5GB=1 bench/run.sh   without the 5 GB memory run
# Builds Release, publishes the command-line tool (plain and ReadyToRun), generates the inputs when missing into
# $GUNICORN_INSIGHTS_BENCH_DATA (default /tmp/gunicorn-insights-bench, outside the repository), installs the peers
# from Debian when missing (hyperfine, ripgrep, mawk, goaccess; needs root), then times with hyperfine and measures
# peak memory with /usr/bin/time -v. Results (hyperfine Markdown and JSON, memory table, BenchmarkDotNet reports)
# go to $DATA/results. BENCH_KEEP_INPUTS=1 keeps the large inputs afterwards; by default they are deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
data=${GUNICORN_INSIGHTS_BENCH_DATA:-/tmp/gunicorn-insights-bench}
results=$data/results
mkdir -p "$data" "$results"
export GUNICORN_INSIGHTS_BENCH_DATA=$data

say() { printf '\n== %s\n' "$*"; }

say "machine"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "dotnet: $(dotnet --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results/machine.txt"
df -h "$data" "$repo"

# Inputs: ~0.5 GB error log and ~0.7 GB access log for the timings; 10 MB, 1 GB and 5 GB of each for peak memory.
need_gb=14
[ -n "${BENCH_SKIP_5GB:-}" ] && need_gb=3
free_gb=$(df -BG --output=avail "$data" | tail -1 | tr -dc '0-9')
if [ "$free_gb" -lt "$need_gb" ]; then
  if [ "$free_gb" -ge 3 ]; then
    echo "only ${free_gb} GB free under $data: skipping the 5 GB input" >&2
    BENCH_SKIP_5GB=1
  else
    echo "only ${free_gb} GB free under $data; the inputs need about ${need_gb} GB" >&2
    exit 2
  fi
fi

say "peers"
missing=()
for tool in hyperfine rg mawk goaccess; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sed 's/^rg$/ripgrep/' | tr '\n' ' ')
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: $packages; install them (apt-get install -y $packages) and run again" >&2
    exit 2
  fi
  apt-get install -y $packages >/dev/null
fi
{
  hyperfine --version
  rg --version | head -1
  echo "mawk $(mawk -W version 2>&1 | head -1)"
  goaccess --version | head -1
  grep --version | head -1
} | tee "$results/peers.txt"

say "build"
dotnet build tests/Gunicorn.Insights.Benchmarks -c Release -v quiet -nologo
bench_app=$repo/tests/Gunicorn.Insights.Benchmarks/bin/Release/net10.0/Gunicorn.Insights.Benchmarks
rm -rf "$data/cli" "$data/cli-r2r"
dotnet publish src/Gunicorn.Insights.Cli -c Release -f net10.0 -o "$data/cli" -v quiet -nologo
dotnet publish src/Gunicorn.Insights.Cli -c Release -f net10.0 -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$data/cli-r2r" -v quiet -nologo
cli=$data/cli/gunicorn-insights
cli_r2r=$data/cli-r2r/gunicorn-insights

say "inputs"
generate() { # kind size path
  if [ ! -f "$3" ]; then
    "$bench_app" generate --kind "$1" --size "$2" --out "$3" | tee -a "$results/inputs.txt"
  fi
}
generate error-log 512MB "$data/error-512mb/error.log"
generate access-log 700MB "$data/access-700mb/access.log"
generate error-log 10MB "$data/error-10mb/error.log"
generate error-log 1GB "$data/error-1gb/error.log"
generate access-log 10MB "$data/access-10mb/access.log"
generate access-log 1GB "$data/access-1gb/access.log"
if [ -z "${BENCH_SKIP_5GB:-}" ]; then
  generate error-log 5GB "$data/error-5gb/error.log"
  generate access-log 5GB "$data/access-5gb/access.log"
fi
ls -l "$data"/*/*.log | tee "$results/inputs-ls.txt"

say "error log: gunicorn-insights vs ripgrep vs grep (~0.5 GB)"
error_log=$data/error-512mb/error.log
signatures=(-e 'WORKER TIMEOUT' -e 'was sent SIGKILL' -e 'Booting worker' -e 'Worker exiting')
printf 'rg: %s\ngrep: %s\n' "$(rg -c -F "${signatures[@]}" "$error_log")" "$(grep -c -F "${signatures[@]}" "$error_log")" \
  | tee "$results/error-log-counts.txt"
hyperfine --output=pipe --warmup 1 --runs 5 --export-markdown "$results/error-log.md" --export-json "$results/error-log.json" \
  -n gunicorn-insights "$cli analyze --no-progress --fail-on none --kind error-log=$error_log" \
  -n ripgrep "rg -c -F -e 'WORKER TIMEOUT' -e 'was sent SIGKILL' -e 'Booting worker' -e 'Worker exiting' $error_log" \
  -n grep "grep -c -F -e 'WORKER TIMEOUT' -e 'was sent SIGKILL' -e 'Booting worker' -e 'Worker exiting' $error_log"

say "access log: gunicorn-insights vs mawk (~0.7 GB)"
access_dir=$data/access-700mb
mawk_program='{split($2,a," "); s+=a[1]; if ($0 ~ /" 50[0-9] /) e++} END{print s, e}'
mawk -F'rt=' "$mawk_program" "$access_dir/access.log" | tee "$results/access-log-mawk-output.txt"
hyperfine --output=pipe --warmup 1 --runs 5 --export-markdown "$results/access-log.md" --export-json "$results/access-log.json" \
  -n gunicorn-insights "$cli analyze --no-progress --fail-on none $access_dir" \
  -n mawk "mawk -F'rt=' '$mawk_program' $access_dir/access.log"

say "access log: gunicorn-insights vs GoAccess (~0.7 GB, one run each)"
# GoAccess gets the same format (combined + rt= in seconds), so it computes response-time statistics as well.
goaccess_format='%h %^[%d:%t %^] "%r" %s %b "%R" "%u" rt=%T busy=%^'
hyperfine --output=pipe --runs 1 --export-markdown "$results/access-log-goaccess.md" --export-json "$results/access-log-goaccess.json" \
  -n gunicorn-insights "$cli analyze --no-progress --fail-on none $access_dir" \
  -n goaccess "goaccess $access_dir/access.log --log-format='$goaccess_format' --date-format=%d/%b/%Y --time-format=%T --no-progress -o $results/goaccess-report.json"

say "startup: plain vs ReadyToRun on a tiny input (docs/examples/healthy)"
hyperfine --output=pipe --warmup 2 --runs 15 --export-markdown "$results/startup.md" --export-json "$results/startup.json" \
  -n gunicorn-insights "$cli analyze --no-progress docs/examples/healthy" \
  -n gunicorn-insights-r2r "$cli_r2r analyze --no-progress docs/examples/healthy"

say "error log: plain vs ReadyToRun (~0.5 GB)"
hyperfine --output=pipe --warmup 1 --runs 3 --export-markdown "$results/error-log-r2r.md" --export-json "$results/error-log-r2r.json" \
  -n gunicorn-insights "$cli analyze --no-progress --fail-on none --kind error-log=$error_log" \
  -n gunicorn-insights-r2r "$cli_r2r analyze --no-progress --fail-on none --kind error-log=$error_log"

say "peak memory (/usr/bin/time -v)"
rss() { # label path...
  local label=$1 out
  shift
  out=$( { /usr/bin/time -v "$cli" analyze --no-progress --fail-on none "$@" >/dev/null; } 2>&1 )
  printf '| %s | %s MiB | %s |\n' "$label" \
    "$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' <<<"$out")" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' <<<"$out")"
}
{
  echo "| input | peak RSS | wall time |"
  echo "| --- | ---: | ---: |"
  rss "error log 10 MB" --kind "error-log=$data/error-10mb/error.log"
  rss "error log 1 GB" --kind "error-log=$data/error-1gb/error.log"
  if [ -z "${BENCH_SKIP_5GB:-}" ]; then rss "error log 5 GB" --kind "error-log=$data/error-5gb/error.log"; fi
  rss "access log 10 MB (+ gunicorn.conf.py)" "$data/access-10mb"
  rss "access log 1 GB (+ gunicorn.conf.py)" "$data/access-1gb"
  if [ -z "${BENCH_SKIP_5GB:-}" ]; then rss "access log 5 GB (+ gunicorn.conf.py)" "$data/access-5gb"; fi
} | tee "$results/memory.md"

say "in-process benchmarks (BenchmarkDotNet)"
(cd "$results" && "$bench_app" --filter "*" --exporters github)

say "medians and ratios (one hyperfine run each)"
python3 bench/medians.py "$results" | tee "$results/medians.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/machine.txt"
if [ -z "${BENCH_KEEP_INPUTS:-}" ]; then
  rm -rf "$data"/error-1gb "$data"/error-5gb "$data"/access-1gb "$data"/error-512mb "$data"/access-700mb "$data"/error-256mb "$data"/access-256mb "$data"/access-5gb
fi
say "results in $results"
