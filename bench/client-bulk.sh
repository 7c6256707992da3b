#!/usr/bin/env bash
# Times the lanfetch client, whole process (JVM start-up included), against the real server
# on loopback: N small files with -j 1 and -j 4, and one 4 KiB file next to a Java
# hello-world. Data lives on tmpfs and is removed on exit; the server is stopped by PID.
#
#   bench/client-bulk.sh [FILES] [SIZE_BYTES] [RUNS]     defaults: 2000 4096 5
set -euo pipefail
export LC_ALL=C.UTF-8

FILES=${1:-2000}
SIZE=${2:-4096}
RUNS=${3:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CLIENT_JAR=$HERE/client/target/lanfetch.jar
SERVER_JAR=$HERE/server/target/lanfetch-server.jar
. "$HERE/bench/lib.sh"
bench_workdir lanfetch-bench

if [[ ! -f $CLIENT_JAR || ! -f $SERVER_JAR ]]; then
  (cd "$HERE" && mvn -B -o -q package -DskipTests)
fi

echo "generating $FILES files of $SIZE bytes in $BASE" >&2
mkdir -p "$BASE/root/data"
for ((d = 0; d < 10; d++)); do mkdir -p "$BASE/root/data/d$d"; done
head -c $((FILES * SIZE)) /dev/urandom > "$BASE/blob"
for ((i = 0; i < FILES; i++)); do
  dd if="$BASE/blob" of="$BASE/root/data/d$((i % 10))/f$i.bin" bs="$SIZE" skip="$i" count=1 status=none
done
rm "$BASE/blob"
(cd "$BASE/root" && find data -type f | sort > "$BASE/names.txt")
head -c 4096 /dev/urandom > "$BASE/root/one.bin"

start_server "$SERVER_JAR" "$BASE/root"

# Median of RUNS timings (seconds) of a command; OUT is emptied before each run.
time_runs() {
  local label=$1; shift
  local times=()
  for ((r = 0; r < RUNS; r++)); do
    rm -rf "$BASE/out"
    local start end
    start=$(date +%s.%N)
    timeout 120 "$@" > /dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
    { t[NR] = $1 } END { printf "%-34s median %.3f s  (min %.3f, max %.3f, %d runs)\n", label, t[int((NR + 1) / 2)], t[1], t[NR], NR }'
}

check_tree() {
  local got
  got=$(cd "$BASE/out/[接收]data" && find . -type f | wc -l)
  [[ $got == "$FILES" ]] || { echo "expected $FILES files, got $got" >&2; exit 1; }
  diff -r "$BASE/root/data" "$BASE/out/[接收]data" > /dev/null || { echo "downloaded tree differs" >&2; exit 1; }
}

cat > "$BASE/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$BASE" "$BASE/Hello.java"

CLIENT=(java -jar "$CLIENT_JAR")
echo "java: $(java -version 2>&1 | head -1); cores: $(nproc); server: real lanfetch-server on 127.0.0.1:$PORT" >&2
for j in 1 4; do
  time_runs "$FILES x $SIZE B, -r, -j $j" "${CLIENT[@]}" get "127.0.0.1:$PORT" -r data -o "$BASE/out" -j "$j" --quiet
  check_tree
  time_runs "$FILES x $SIZE B, -i list, -j $j" "${CLIENT[@]}" get "127.0.0.1:$PORT" -i "$BASE/names.txt" -o "$BASE/out" -j "$j" --quiet
done
time_runs "one 4 KiB file" "${CLIENT[@]}" get "127.0.0.1:$PORT" one.bin -o "$BASE/out" --quiet
cmp "$BASE/root/one.bin" "$BASE/out/[接收]one.bin"
time_runs "java hello-world" java -cp "$BASE" Hello

# For context: rsync against an rsync daemon on loopback, same files, same tmpfs.
if command -v rsync > /dev/null; then
  RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$BASE/rsyncd.conf" <<CONF
pid file = $BASE/rsyncd.pid
use chroot = false
[data]
  path = $BASE/root/data
  read only = true
CONF
  rsync --daemon --no-detach --address=127.0.0.1 --port="$RPORT" --config="$BASE/rsyncd.conf" &
  bench_started $!
  for ((t = 0; t < 50; t++)); do rsync "rsync://127.0.0.1:$RPORT/" > /dev/null 2>&1 && break; sleep 0.1; done
  time_runs "$FILES x $SIZE B, rsync daemon" rsync -a "rsync://127.0.0.1:$RPORT/data/" "$BASE/out/"
fi
