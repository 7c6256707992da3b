# Shared by the bench/*.sh scripts (source it): a work directory on tmpfs removed at exit, and
# lanfetch-server started on 127.0.0.1 with a port the system picks, stopped by PID.

BENCH_PIDS=()

# bench_workdir PREFIX: sets BASE to a new directory under $TMPDIR_BENCH, /dev/shm or /tmp.
bench_workdir() {
  local parent=${TMPDIR_BENCH:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)}
  BASE=$(mktemp -d "$parent/$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# bench_started PID: a process this script started, stopped by bench_cleanup.
bench_started() {
  BENCH_PIDS+=("$1")
}

bench_stop() {
  local pid=$1 kept=() p
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${BENCH_PIDS[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do bench_stop "$pid"; done
  rm -rf "$BASE"
}

SERVER_RUN=0
# start_server JAR ROOT [SERVER FLAGS...]: sets SERVER_PID, LINE (the startup line), PORT and
# FINGERPRINT (empty unless --tls).
start_server() {
  local jar=$1 root=$2
  shift 2
  SERVER_RUN=$((SERVER_RUN + 1))
  local out="$BASE/server.$SERVER_RUN.out" err="$BASE/server.$SERVER_RUN.err"
  java -jar "$jar" "$root" --port 0 --bind 127.0.0.1 "$@" >"$out" 2>"$err" &
  SERVER_PID=$!
  bench_started "$SERVER_PID"
  for _ in $(seq 1 300); do
    grep -q ' root=' "$out" 2>/dev/null && break
    sleep 0.1
  done
  LINE=$(head -1 "$out")
  [[ -n $LINE ]] || { echo "server did not start: $(cat "$err")" >&2; exit 1; }
  PORT=$(sed -E 's/^lanfetch-server listening on [^ ]*:([0-9]+) .*/\1/' <<<"$LINE")
  FINGERPRINT=$(grep -oE 'tls=SHA256:[^ ]+' <<<"$LINE" | cut -d= -f2 || true)
}

stop_server() {
  bench_stop "$SERVER_PID"
}
