#!/usr/bin/env bash
# What TLS costs (issue 6): the same file fetched over loopback from a plain server (zero-copy
# sendfile) and from a --tls server (TLS 1.3, AES-GCM through SSLEngine), alternating, in one
# run, with the real client writing to /dev/shm. Prints seconds and MiB/s per run.
# Talks to 127.0.0.1 only; every run is bounded by `timeout`; everything is removed at exit.
# Usage: bench/tls-cost.sh [SIZE_MIB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
ROUNDS=${2:-2}
SERVER_JAR=server/target/lanfetch-server.jar
CLIENT_JAR=client/target/lanfetch.jar
[ -f "$SERVER_JAR" ] && [ -f "$CLIENT_JAR" ] || mvn -B -o -q package -DskipTests
export LC_ALL=C.UTF-8

. bench/lib.sh
bench_workdir lanfetch-tls
mkdir -p "$BASE/root" "$BASE/config"
dd if=/dev/urandom of="$BASE/root/big.bin" bs=1M count="$SIZE_MIB" status=none
echo "file: $SIZE_MIB MiB on $(df --output=fstype "$BASE" | tail -1); java: $(java -version 2>&1 | head -1); cpus: $(nproc)"

start_tls_server() {  # extra server flags...
  XDG_CONFIG_HOME="$BASE/config" start_server "$SERVER_JAR" "$BASE/root" --quiet "$@"
}

fetch() {  # label, client flags...
  local label=$1
  shift
  rm -rf "$BASE/out"
  local t0 t1
  t0=$(date +%s.%N)
  timeout 600 java -jar "$CLIENT_JAR" get "127.0.0.1:$PORT" big.bin -o "$BASE/out" --quiet "$@"
  t1=$(date +%s.%N)
  cmp -s "$BASE/root/big.bin" "$BASE/out/[接收]big.bin" || { echo "$label: MISMATCH"; exit 1; }
  awk -v l="$label" -v a="$t0" -v b="$t1" -v m="$SIZE_MIB" \
      'BEGIN { s = b - a; printf "%-5s %7.2f s  %7.0f MiB/s\n", l, s, m / s }'
}

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  start_tls_server
  fetch plain
  stop_server
  start_tls_server --tls
  fetch tls --fingerprint "$FINGERPRINT"
  stop_server
done
