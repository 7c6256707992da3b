#!/usr/bin/env bash
# The HTTP side against nginx (issue 12), with curl as the client for both, over loopback:
#   1. one big file (default 1 GiB): curl from lanfetch-server vs curl from nginx (sendfile);
#   2. many small files (default 5,000 x 4 KiB): `curl --parallel --parallel-max 8` from each;
#   3. peak RSS of each server while 100 curl clients download at once (rate-limited, so that
#      all 100 are mid-transfer together).
# Each comparison runs one untimed round (page cache, JIT), then ROUNDS rounds alternating the
# two servers, and prints the mean time of each and their ratio (lanfetch / nginx). Every
# download is checked (the big file by size each round and by cmp in the untimed round, the small
# files by diff -r). Data lives on /dev/shm; both servers listen on 127.0.0.1 on free ports and
# are stopped by PID at exit or Ctrl-C. Prints the load average: other work on the machine
# moves the figures.
# Usage: bench/http.sh [SIZE_MIB] [ROUNDS] [SMALL_FILES] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
ROUNDS=${2:-3}
SMALL_FILES=${3:-5000}
CLIENTS=${4:-100}
SERVER_JAR=server/target/lanfetch-server.jar
[ -f "$SERVER_JAR" ] || mvn -B -o -q package -DskipTests -pl server -am
command -v curl >/dev/null || { echo "http.sh: curl is not installed" >&2; exit 1; }
command -v nginx >/dev/null || { echo "http.sh: nginx is not installed" >&2; exit 1; }
export LC_ALL=C.UTF-8

. bench/lib.sh
bench_workdir lanfetch-http
ROOT=$BASE/root
mkdir -p "$ROOT/small" "$BASE/nginx"
dd if=/dev/urandom of="$ROOT/big.bin" bs=1M count="$SIZE_MIB" status=none
BIG_SIZE=$(stat -c %s "$ROOT/big.bin")
head -c $((SMALL_FILES * 4096)) /dev/urandom | split -a 5 -d -b 4096 - "$ROOT/small/f"

echo "big: $SIZE_MIB MiB; small: $SMALL_FILES x 4 KiB; on $(df --output=fstype "$BASE" | tail -1)"
echo "$(curl --version | head -1 | cut -d' ' -f1-2); $(nginx -v 2>&1 | cut -d' ' -f3);" \
  "java: $(java -version 2>&1 | head -1); cpus: $(nproc)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {  # port pid name
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
    kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "$3 did not listen on $1" >&2
  exit 1
}

# nginx as a file server tuned the way people run it for downloads: sendfile, tcp_nopush, two
# workers for two cores, no access log (lanfetch-server runs with --quiet).
NGINX_PORT=$(free_port)
cat >"$BASE/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
user root;
pid $BASE/nginx/nginx.pid;
error_log $BASE/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $BASE/nginx/body;
  proxy_temp_path $BASE/nginx/proxy;
  fastcgi_temp_path $BASE/nginx/fastcgi;
  uwsgi_temp_path $BASE/nginx/uwsgi;
  scgi_temp_path $BASE/nginx/scgi;
  types { application/octet-stream bin; }
  default_type application/octet-stream;
  server { listen 127.0.0.1:$NGINX_PORT; root $ROOT; }
}
EOF
start_nginx() {
  nginx -c "$BASE/nginx/nginx.conf" -p "$BASE/nginx" &
  NGINX_PID=$!
  bench_started "$NGINX_PID"
  wait_port "$NGINX_PORT" "$NGINX_PID" nginx
}
start_nginx

start_server "$SERVER_JAR" "$ROOT" --quiet --max-connections 1000 --max-per-address 1000
LANFETCH_PID=$SERVER_PID
LANFETCH_PORT=$PORT
wait_port "$LANFETCH_PORT" "$LANFETCH_PID" lanfetch-server

# A curl config fetching every small file from PORT into DIR.
small_config() {  # port dir
  for f in "$ROOT"/small/*; do
    n=${f##*/}
    printf 'url = "http://127.0.0.1:%s/small/%s"\noutput = "%s/%s"\n' "$1" "$n" "$2" "$n"
  done
}
small_config "$LANFETCH_PORT" "$BASE/out-lanfetch" >"$BASE/small-lanfetch.cfg"
small_config "$NGINX_PORT" "$BASE/out-nginx" >"$BASE/small-nginx.cfg"

now() { date +%s.%N; }
TICK=$(getconf CLK_TCK)

# CPU time (user + system, clock ticks) a server has used so far, with its children (nginx's
# workers). On a loaded machine wall time is noisy; the CPU each server spends per run is not.
cpu_ticks() {  # pid
  local total=0 p
  for p in "$1" $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo "$total"
}

server_pid() {  # name
  if [[ $1 == lanfetch ]]; then echo "$LANFETCH_PID"; else echo "$NGINX_PID"; fi
}

elapsed() {  # t0 t1 cpu0 cpu1: prints "wall-seconds cpu-seconds"
  awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v k="$TICK" 'BEGIN { printf "%.3f %.2f\n", b - a, (d - c) / k }'
}

big() {  # name port warm|timed: prints "wall-seconds server-cpu-seconds"
  local t0 t1 c0 c1 got pid
  pid=$(server_pid "$1")
  c0=$(cpu_ticks "$pid")
  t0=$(now)
  if [[ $3 == warm ]]; then
    timeout 600 curl -q -sS -f -o "$BASE/big.out" "http://127.0.0.1:$2/big.bin"
    t1=$(now)
    cmp -s "$ROOT/big.bin" "$BASE/big.out" || { echo "$1: big.bin MISMATCH" >&2; exit 1; }
    rm -f "$BASE/big.out"
  else
    got=$(timeout 600 curl -q -sS -f -o /dev/null -w '%{size_download}' "http://127.0.0.1:$2/big.bin")
    t1=$(now)
    [[ $got == "$BIG_SIZE" ]] || { echo "$1: got $got of $BIG_SIZE bytes" >&2; exit 1; }
  fi
  c1=$(cpu_ticks "$pid")
  elapsed "$t0" "$t1" "$c0" "$c1"
}

small() {  # name port warm|timed: prints "wall-seconds server-cpu-seconds"
  local t0 t1 c0 c1 pid
  pid=$(server_pid "$1")
  rm -rf "$BASE/out-$1"
  c0=$(cpu_ticks "$pid")
  t0=$(now)
  # curl 7.88 draws its --parallel progress meter despite -s: keep stderr for failures only.
  timeout 600 curl -q -sS -f --parallel --parallel-max 8 --create-dirs -K "$BASE/small-$1.cfg" \
    2>"$BASE/small.err" || { echo "$1: curl failed: $(tail -c 500 "$BASE/small.err")" >&2; exit 1; }
  t1=$(now)
  c1=$(cpu_ticks "$pid")
  diff -r -q "$ROOT/small" "$BASE/out-$1" >/dev/null || { echo "$1: small files MISMATCH" >&2; exit 1; }
  elapsed "$t0" "$t1" "$c0" "$c1"
}

# Runs "$1 lanfetch ..." and "$1 nginx ..." ROUNDS times each, alternating which goes first, after
# one untimed round; then prints the mean wall time and server CPU of each, and their ratios.
declare -A WALL CPU

once() {  # command name port: one timed run, appended to WALL[name] and CPU[name]
  local out w c
  out=$($1 "$2" "$3" timed)  # an assignment: under set -e a failed or wrong download stops here
  read -r w c <<<"$out"
  WALL[$2]+="$w "
  CPU[$2]+="$c "
}

compare() {  # title command
  local title=$1 cmd=$2 r
  WALL=([lanfetch]="" [nginx]=""); CPU=([lanfetch]="" [nginx]="")
  $cmd lanfetch "$LANFETCH_PORT" warm >/dev/null
  $cmd nginx "$NGINX_PORT" warm >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    if ((r % 2)); then
      once "$cmd" lanfetch "$LANFETCH_PORT"; once "$cmd" nginx "$NGINX_PORT"
    else
      once "$cmd" nginx "$NGINX_PORT"; once "$cmd" lanfetch "$LANFETCH_PORT"
    fi
  done
  local LW=${WALL[lanfetch]} LC=${CPU[lanfetch]} NW=${WALL[nginx]} NC=${CPU[nginx]}
  awk -v t="$title" -v lw="$LW" -v lc="$LC" -v nw="$NW" -v nc="$NC" '
    function mean(s,  a, n, i, sum) { n = split(s, a, " "); for (i = 1; i <= n; i++) sum += a[i]; return sum / n }
    BEGIN {
      printf "%-12s wall: lanfetch %7.3f s  nginx %7.3f s  ratio %.2fx\n", t, mean(lw), mean(nw), mean(lw) / mean(nw)
      printf "%-12s server CPU: lanfetch %6.2f s  nginx %6.2f s  ratio %.2fx\n", "", mean(lc), mean(nc), mean(lc) / (mean(nc) > 0 ? mean(nc) : 0.01)
      printf "%-12s wall runs: lanfetch %s| nginx %s\n", "", lw, nw
    }'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "== 1 file of $SIZE_MIB MiB, curl -o /dev/null (the untimed round to a file, checked with cmp)"
compare "big file" big
echo "== $SMALL_FILES x 4 KiB, curl --parallel --parallel-max 8 (every run checked with diff -r)"
compare "small files" small

vm() {  # pid field: kB
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

tree_hwm() {  # pid: peak RSS in kB of the process and its children (nginx workers)
  local total c
  total=$(vm "$1" VmHWM)
  for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    total=$((total + $(vm "$c" VmHWM)))
  done
  echo "$total"
}

# CLIENTS curls download big.bin at once, each held to 8 MiB/s for 8 s: all are mid-transfer
# together, and the peak RSS is what holding that many HTTP downloads costs.
crowd() {  # name port pid
  local pids=() i done_ok=0 rc
  for i in $(seq 1 "$CLIENTS"); do
    curl -q -sS -f -o /dev/null --limit-rate 8M --max-time 8 "http://127.0.0.1:$2/big.bin" 2>/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    rc=0; wait "$i" || rc=$?
    ((rc == 0 || rc == 28)) && done_ok=$((done_ok + 1))  # 28: --max-time, as meant
  done
  printf '%-9s %d clients (%d transferred until the time limit): peak RSS %d MiB' \
    "$1" "$CLIENTS" "$done_ok" $(($(tree_hwm "$3") / 1024))
  [[ $1 != lanfetch ]] || printf ', threads %d' "$(ls "/proc/$3/task" | wc -l)"
  echo
}

# Fresh servers, so that their peak RSS is the crowd's and not the benchmarks' above.
stop_server
bench_stop "$NGINX_PID"
start_server "$SERVER_JAR" "$ROOT" --quiet --max-connections 1000 --max-per-address 1000
wait_port "$PORT" "$SERVER_PID" lanfetch-server
start_nginx
echo "== $CLIENTS HTTP clients at once (--limit-rate 8M --max-time 8 each)"
echo "lanfetch  idle: RSS $(($(vm "$SERVER_PID" VmRSS) / 1024)) MiB, threads $(ls "/proc/$SERVER_PID/task" | wc -l)"
crowd lanfetch "$PORT" "$SERVER_PID"
crowd nginx "$NGINX_PORT" "$NGINX_PID"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
