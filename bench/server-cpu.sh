#!/usr/bin/env bash
# The server's CPU per download, two server jars side by side (A/B): both serve DATA on 127.0.0.1
# at once, and the same client downloads DIR from each in turn, alternating, ROUNDS times after
# WARMUP untimed runs each. The CPU of a run is the server JVM's CPU time after the run minus
# before it: the sum over its threads of /proc/PID/task/*/schedstat (nanoseconds; utime + stime
# of /proc/PID/stat, in ticks of 10 ms, is printed beside it), so a quiet server's own timers
# count for the length of one run only. Prints every round, then min and median per jar and their ratio (B / A), with the load
# average: other work on the machine moves the figures, CPU time less than wall time.
#   lanfetch (default):  CLIENT get HOST -r DIR -j JOBS -o OUT --quiet
#   curl:                curl --parallel --parallel-max 8 over every file under DIR (HTTP)
# Usage: bench/server-cpu.sh JAR_A JAR_B [ROUNDS] [lanfetch|curl]
# Environment: DATA (default /dev/shm/lanfetch-bench/data), DIR (small), JOBS (4), WARMUP (3),
# CLIENT (bin/lanfetch of this tree). Servers run with the launcher's JVM flags, --quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR_A=${1:?usage: bench/server-cpu.sh JAR_A JAR_B [ROUNDS] [lanfetch|curl]}
JAR_B=${2:?usage: bench/server-cpu.sh JAR_A JAR_B [ROUNDS] [lanfetch|curl]}
ROUNDS=${3:-6}
MODE=${4:-lanfetch}
DATA=${DATA:-/dev/shm/lanfetch-bench/data}
DIR=${DIR:-small}
JOBS=${JOBS:-4}
WARMUP=${WARMUP:-3}
CLIENT=${CLIENT:-$PWD/bin/lanfetch}
[[ -d $DATA/$DIR ]] || { echo "server-cpu.sh: no $DATA/$DIR (bench/run.sh creates it)" >&2; exit 1; }
export LC_ALL=C.UTF-8

. bench/lib.sh
bench_workdir lanfetch-server-cpu
TICK=$(getconf CLK_TCK)

start() {  # JAR NAME: sets PID_<NAME> and PORT_<NAME>
  local out=$BASE/$2.out
  java -XX:+UseSerialGC -Xmx64m -XX:MaxDirectMemorySize=32m -Xss512k -jar "$1" "$DATA" \
    --port 0 --bind 127.0.0.1 --quiet >"$out" 2>"$BASE/$2.err" &
  bench_started $!
  printf -v "PID_$2" %s $!
  for _ in $(seq 1 300); do grep -q ' root=' "$out" 2>/dev/null && break; sleep 0.1; done
  grep -q ' root=' "$out" || { echo "server $1 did not start: $(cat "$BASE/$2.err")" >&2; exit 1; }
  printf -v "PORT_$2" %s "$(sed -E 's/^lanfetch-server listening on [^ ]*:([0-9]+) .*/\1/' "$out")"
}

cpu_ticks() {  # PID: utime + stime, fields 14 and 15 (after the command name, which may hold spaces)
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) }
  read -r -a f <<<"$rest"
  echo $((f[11] + f[12]))
}

cpu_ns() {  # PID: time on a CPU of every thread alive now, in nanoseconds
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'
}

if [[ $MODE == curl ]]; then
  (cd "$DATA" && find "$DIR" -type f | sort) >"$BASE/files"
fi

download() {  # PORT
  rm -rf "$BASE/out"
  mkdir -p "$BASE/out"
  if [[ $MODE == curl ]]; then
    sed "s|.*|url = \"http://127.0.0.1:$1/&\"\noutput = \"$BASE/out/&\"|" "$BASE/files" >"$BASE/curl.cfg"
    curl -sS --no-progress-meter --fail --create-dirs --parallel --parallel-max 8 -K "$BASE/curl.cfg"
  else
    "$CLIENT" get "127.0.0.1:$1" -r "$DIR" -j "$JOBS" -o "$BASE/out" --quiet
  fi
  local n
  n=$(find "$BASE/out" -type f | wc -l)
  [[ $n == "$(find "$DATA/$DIR" -type f | wc -l)" ]] || { echo "only $n files arrived" >&2; exit 1; }
}

start "$JAR_A" A
start "$JAR_B" B
echo "A: $JAR_A (pid $PID_A)"
echo "B: $JAR_B (pid $PID_B)"
echo "client: $MODE; $DIR ($(find "$DATA/$DIR" -type f | wc -l) files); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < WARMUP; i++)); do download "$PORT_A"; download "$PORT_B"; done

declare -a CPU_A CPU_B
for ((r = 1; r <= ROUNDS; r++)); do
  line="round $r:"
  for s in A B; do
    if (( r % 2 == 0 )); then s=$([[ $s == A ]] && echo B || echo A); fi  # alternate who goes first
    pid_var=PID_$s port_var=PORT_$s
    before=$(cpu_ticks "${!pid_var}")
    before_ns=$(cpu_ns "${!pid_var}")
    t0=$(date +%s.%N)
    download "${!port_var}"
    t1=$(date +%s.%N)
    ms=$(( ($(cpu_ns "${!pid_var}") - before_ns) / 1000000 ))
    tick_ms=$(( ($(cpu_ticks "${!pid_var}") - before) * 1000 / TICK ))
    if [[ $s == A ]]; then CPU_A+=("$ms"); else CPU_B+=("$ms"); fi
    line+=$(printf ' %s %4d ms CPU (stat %4d; %.2f s wall)' "$s" "$ms" "$tick_ms" \
      "$(echo "$t1 - $t0" | bc)")
  done
  echo "$line"
done

stats() {  # values...: "min M median D"
  printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "min %d median %d", v[1], m }'
}
SA=$(stats "${CPU_A[@]}")
SB=$(stats "${CPU_B[@]}")
echo "server CPU per run, ms: A $SA; B $SB"
awk -v a="$SA" -v b="$SB" 'BEGIN { split(a, x, " "); split(b, y, " ");
  printf "B / A: min %.2f, median %.2f\n", y[2] / x[2], y[4] / x[4] }'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
