#!/usr/bin/env bash
# What idle connections cost a --tls server: starts lanfetch-server with the launcher's JVM
# options (-Xmx64m, SerialGC) and default limits, opens N idle connections of KIND from
# 127.0.0.x addresses (bench/idle_tls.py), and prints the heap in use after a full GC (jcmd
# GC.heap_info) before and with them, whether the server is still alive, and whether it serves
# a download once they are closed. Talks to 127.0.0.x only.
# Usage: bench/idle-tls.sh [KIND] [N] [JAR]   KIND: silent|hello|partial|done|welcomed|stalled
# (stalled: GETs of a 64 MiB big/big.bin the clients never read; set SETTLE=12 for 128 of them)
set -uo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-silent}
N=${2:-1024}
JAR=${3:-server/target/lanfetch-server.jar}
[ -f "$JAR" ] || mvn -B -o -q package -pl server -am -DskipTests

. bench/lib.sh
bench_workdir lanfetch-idle-tls
export XDG_CONFIG_HOME=$BASE/config
mkdir "$BASE/root"
echo hello >"$BASE/root/f.txt"
if [ "$KIND" = stalled ]; then
  mkdir "$BASE/root/big"
  dd if=/dev/zero of="$BASE/root/big/big.bin" bs=1M count=64 status=none
fi
java -XX:+UseSerialGC -Xmx64m -XX:MaxDirectMemorySize=32m -Xss512k -jar "$JAR" "$BASE/root" \
  -b 127.0.0.1 -p 0 --tls -q >"$BASE/server.log" 2>&1 &
SERVER_PID=$!
bench_started "$SERVER_PID"
for _ in $(seq 100); do grep -q 'tls=' "$BASE/server.log" && break; sleep 0.1; done
PORT=$(grep -o '127.0.0.1:[0-9]*' "$BASE/server.log" | head -1 | cut -d: -f2)
FINGERPRINT=$(grep -o 'tls=SHA256:[^ ]*' "$BASE/server.log" | head -1 | cut -d= -f2)

used_kb() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.heap_info | tr -d K, |
    awk '/generation/ { for (i = 1; i <= NF; i++) if ($i == "used") kb += $(i + 1) } END { print kb }'
}
before=$(used_kb)
mkfifo "$BASE/hold"
python3 bench/idle_tls.py 127.0.0.1 "$PORT" "$KIND" "$N" 64 <"$BASE/hold" >"$BASE/idle.out" 2>&1 &
IDLE_PID=$!
bench_started "$IDLE_PID"
exec 7>"$BASE/hold"
for _ in $(seq 600); do grep -q '^open' "$BASE/idle.out" && break; sleep 0.2; done
sleep "${SETTLE:-5}" # the server takes in the last handshakes (under --handshake-timeout's 10 s)
alive=no
after=dead
if kill -0 "$SERVER_PID" 2>/dev/null; then after=$(used_kb); alive=yes; fi
exec 7>&-
wait "$IDLE_PID" 2>/dev/null
sleep 3 # the server sees them close
download=failed
if [ $alive = yes ] && timeout 30 bin/lanfetch get --tls --fingerprint "$FINGERPRINT" \
  "127.0.0.1:$PORT" f.txt -q -o - 2>"$BASE/get.err" | cmp -s - "$BASE/root/f.txt"; then
  download=ok
fi
per=$([ "$after" != dead ] && echo "scale=1; ($after - $before) / $N" | bc)
echo "$KIND: $(head -1 "$BASE/idle.out"); heap ${before} KB -> ${after} KB (${per:-?} KB each);" \
  "alive=$alive; OutOfMemoryError=$(grep -c OutOfMemoryError "$BASE/server.log");" \
  "download after=$download $(head -c 200 "$BASE/get.err")"
# A server that ran out of memory may not stop on SIGTERM (before the fix its loop died without
# saying it had finished): stop it for good.
if grep -q OutOfMemoryError "$BASE/server.log"; then kill -9 "$SERVER_PID" 2>/dev/null; fi
