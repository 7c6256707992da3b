#!/usr/bin/env bash
# The chaos run (issue 14, item 4): CLIENTS lanfetch processes download a tree of a few big and
# many small files at once from bin/lanfetch-server, which is killed with SIGKILL once a third
# of the wave's bytes have landed and restarted on a new port, KILLS times. After each restart
# the clients of the killed wave are re-run (same destination, same command) and must all exit
# 0 with every file byte-identical to the server's and no part file or other stray entry left;
# then the server's open file descriptors (/proc/PID/fd) must be back at the count it had
# before that re-run (taken after one warm-up download). Prints one line per phase and a
# summary; exits 1 on any corrupt file, stray entry, failed re-run or fd leak.
# Data under /dev/shm (or /tmp), removed at exit; 127.0.0.1 only, port 0 read back from the
# startup line; every process is stopped by its PID at exit and on Ctrl-C.
# Usage: bench/chaos.sh [CLIENTS] [KILLS] [SMALL_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD
CLIENTS=${1:-100}
KILLS=${2:-3}
SMALL=${3:-400}
DEADLINE_S=300  # for any one wait: a wave, a re-run, the server's start-up

. bench/lib.sh
bench_workdir lanfetch-chaos
T0=$SECONDS

# The tree: 3 big files (8, 8, 4 MiB) and SMALL files of 0.5-27 KiB in 10 folders.
mkdir -p "$BASE/root/tree"
for i in 1 2 3; do
  head -c $(( i == 3 ? 4 << 20 : 8 << 20 )) /dev/urandom >"$BASE/root/tree/big$i.bin"
done
for ((i = 0; i < SMALL; i++)); do
  d="$BASE/root/tree/d$((i % 10))"
  mkdir -p "$d"
  head -c $(( 512 + (i * 1637) % 27000 )) /dev/urandom >"$d/small$i.dat"
done
echo warm >"$BASE/root/warm-up.dat"
TREE_FILES=$(find "$BASE/root/tree" -type f | wc -l)
TREE_BYTES=$(du -sb --apparent-size "$BASE/root/tree" | cut -f1)
echo "clients: $CLIENTS; tree: $TREE_FILES files, $((TREE_BYTES >> 20)) MiB; kills: $KILLS;" \
  "java: $(java -version 2>&1 | head -1)"

fail() { echo "chaos: $*" >&2; exit 1; }

# forget PID: a process that ended and was waited for, no longer to stop at exit.
forget() {
  local kept=() p
  for p in "${BENCH_PIDS[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

# A server on port 0; sets SERVER_PID and PORT.
start() {
  local out=$BASE/server.$1.out
  "$HERE/bin/lanfetch-server" "$BASE/root" --port 0 --bind 127.0.0.1 --quiet \
    --max-per-address 1024 >"$out" 2>"$BASE/server.$1.err" &
  SERVER_PID=$!
  bench_started "$SERVER_PID"
  local end=$((SECONDS + DEADLINE_S))
  until grep -q ' root=' "$out" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server did not start: $(cat "$BASE/server.$1.err")"
    ((SECONDS < end)) || fail "no startup line in $DEADLINE_S s"
    sleep 0.05
  done
  PORT=$(sed -E 's/^lanfetch-server listening on [^ ]*:([0-9]+) .*/\1/' <"$out")
}

fds() { find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }

# The fd count once it is the same twice in a row, 100 ms apart (10 s at most).
steady_fds() {
  local last now i
  last=$(fds)
  for ((i = 0; i < 100; i++)); do
    sleep 0.1
    now=$(fds)
    [[ $now == "$last" ]] && break
    last=$now
  done
  echo "$last"
}

# client DIR: one lanfetch run in the background into DIR; its PID goes into PIDS.
client() {
  "$HERE/bin/lanfetch" get "127.0.0.1:$PORT" -r tree -o "$1" -j 2 --retries 6 --retry-wait 50 \
    --timeout 20 -q >"$1.log" 2>&1 &
  PIDS+=("$!")
  bench_started "$!"
}

# Waits for every PID in PIDS (DEADLINE_S at most); sets FAILED to how many did not exit 0.
reap() {
  local pid end=$((SECONDS + DEADLINE_S))
  FAILED=0
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && fail "client $pid still running after $DEADLINE_S s"
    wait "$pid" || FAILED=$((FAILED + 1))
    forget "$pid"
  done
  PIDS=()
}

# check DIR: the tree under DIR is the server's, byte for byte, with nothing else beside it.
CORRUPT=0 STRAY=0
check() {
  local dir=$1 rel
  [[ $(ls -A "$dir") == "[接收]tree" ]] || { STRAY=$((STRAY + 1)); echo "stray in $dir: $(ls -A "$dir")"; }
  while IFS= read -r -d '' rel; do
    if [[ ! -f $BASE/root/tree/$rel ]]; then
      STRAY=$((STRAY + 1)); echo "stray: $dir/[接收]tree/$rel"
    fi
  done < <(cd "$dir/[接收]tree" && find . -type f -printf '%P\0')
  while IFS= read -r -d '' rel; do
    cmp -s "$BASE/root/tree/$rel" "$dir/[接收]tree/$rel" \
      || { CORRUPT=$((CORRUPT + 1)); echo "differs or missing: $dir/[接收]tree/$rel"; }
  done < <(cd "$BASE/root/tree" && find . -type f -printf '%P\0')
}

PIDS=()
WAVE_DIRS=()
for ((phase = 0; phase <= KILLS; phase++)); do
  start "$phase"
  # A file beside the tree: the directory handles a GET below the root keeps close after 2 s
  # unused, and must not count in the baseline.
  "$HERE/bin/lanfetch" get "127.0.0.1:$PORT" warm-up.dat -o "$BASE/warm-up$phase" -q
  baseline=$(steady_fds)
  line="phase $phase: server pid $SERVER_PID port $PORT, fd baseline $baseline"
  if ((${#WAVE_DIRS[@]})); then
    t=$SECONDS
    for d in "${WAVE_DIRS[@]}"; do client "$d"; done
    reap
    ((FAILED == 0)) || fail "$FAILED re-runs failed: $(cat "${WAVE_DIRS[0]}.log")"
    for d in "${WAVE_DIRS[@]}"; do check "$d"; done
    rm -rf "${WAVE_DIRS[@]}"
    now=$(fds)
    for ((i = 0; i < 200 && now != baseline; i++)); do sleep 0.05; now=$(fds); done
    line+="; re-ran and checked $CLIENTS clients in $((SECONDS - t)) s, all exit 0; fds after: $now"
    [[ $now == "$baseline" ]] || { echo "$line"; fail "fd leak: $now open, baseline $baseline"; }
  fi
  WAVE_DIRS=()
  if ((phase < KILLS)); then
    for ((c = 0; c < CLIENTS; c++)); do
      WAVE_DIRS+=("$BASE/wave$phase-client$c")
      client "$BASE/wave$phase-client$c"
    done
    t=$SECONDS
    end=$((SECONDS + DEADLINE_S))
    target=$((CLIENTS * TREE_BYTES / 3))
    until (($(du -sb --apparent-size "$BASE"/wave$phase-client* 2>/dev/null | awk '{s += $1} END {print s + 0}') >= target)); do
      ((SECONDS < end)) || fail "wave $phase: a third of the bytes did not land in $DEADLINE_S s"
      sleep 0.05
    done
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    forget "$SERVER_PID"
    reap
    line+="; wave of $CLIENTS clients, SIGKILL after $((SECONDS - t)) s at a third of the bytes, $FAILED failed"
    ((FAILED > 0)) || fail "the kill came after every client of wave $phase had finished"
  else
    bench_stop "$SERVER_PID"
  fi
  echo "$line"
done
echo "summary: clients $CLIENTS, files $TREE_FILES per client, kills $KILLS," \
  "corrupt files: $CORRUPT, stray parts: $STRAY, total time $((SECONDS - T0)) s"
((CORRUPT == 0 && STRAY == 0)) || exit 1
