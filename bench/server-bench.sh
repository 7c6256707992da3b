#!/usr/bin/env bash
# Loopback benchmark of lanfetch-server (issues 2 and 3):
#  1. a fresh server serves one 1 GiB file to one raw client: time, throughput, peak RSS;
#  2. a fresh server holds 1,000 idle connections (from 127.0.0.2 and up): threads and peak
#     RSS, then serves the same file to one honest client while they are held.
# Generates the file under /dev/shm (or /tmp) and removes it; talks to 127.0.0.1 only.
# Usage: bench/server-bench.sh [SIZE_MIB] [IDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
IDLE=${2:-1000}
JAR=server/target/lanfetch-server.jar
[ -f "$JAR" ] || mvn -B -o -q package -pl server -am -DskipTests

. bench/lib.sh
bench_workdir lanfetch-bench
mkdir "$BASE/root"
dd if=/dev/urandom of="$BASE/root/big.bin" bs=1M count="$SIZE_MIB" status=none
echo "file: $SIZE_MIB MiB in $BASE/root; java: $(java -version 2>&1 | head -1)"

start_bench_server() {
  start_server "$JAR" "$BASE/root" --quiet --max-connections $((IDLE + 64)) --max-per-address 64 \
      --handshake-timeout 10m --idle-timeout 10m
  echo "$LINE"
}

echo "== one client, no idle connections"
start_bench_server
java -cp "$JAR" bench/ServerBench.java "$SERVER_PID" "$PORT" big.bin 0
stop_server

echo "== $IDLE idle connections held, then one honest client"
start_bench_server
java -cp "$JAR" bench/ServerBench.java "$SERVER_PID" "$PORT" big.bin "$IDLE"
stop_server
