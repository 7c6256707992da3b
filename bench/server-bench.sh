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

BASE=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/lanfetch-bench.XXXXXX")
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$BASE"
}
trap cleanup EXIT
mkdir "$BASE/root"
dd if=/dev/urandom of="$BASE/root/big.bin" bs=1M count="$SIZE_MIB" status=none
echo "file: $SIZE_MIB MiB in $BASE/root; java: $(java -version 2>&1 | head -1)"

RUN=0
start_server() {
  RUN=$((RUN + 1))
  OUT="$BASE/out.$RUN"
  java -jar "$JAR" "$BASE/root" --port 0 --bind 127.0.0.1 --quiet \
      --max-connections $((IDLE + 64)) --max-per-address 64 \
      --handshake-timeout 10m --idle-timeout 10m >"$OUT" 2>"$BASE/err.$RUN" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$OUT" ] && break
    sleep 0.1
  done
  LINE=$(head -1 "$OUT")
  echo "$LINE"
  PORT=$(sed -E 's/^lanfetch-server listening on [^ ]*:([0-9]+) .*/\1/' <<<"$LINE")
}

stop_server() {
  kill "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=
}

echo "== one client, no idle connections"
start_server
java -cp "$JAR" bench/ServerBench.java "$SERVER_PID" "$PORT" big.bin 0
stop_server

echo "== $IDLE idle connections held, then one honest client"
start_server
java -cp "$JAR" bench/ServerBench.java "$SERVER_PID" "$PORT" big.bin "$IDLE"
stop_server
