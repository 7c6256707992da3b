#!/usr/bin/env bash
# Slow readers must not take the workers (issue 14, item 1): a server with --threads N serves
# one honest client a SIZE_MIB file, first alone, then while N+10 clients each read the same
# file at 1 KiB/s. Prints the honest client's throughput both ways; every download is checked
# against the file's SHA-256. Generates the file under /dev/shm (or /tmp) and removes it;
# talks to 127.0.0.1 only.
# Usage: bench/slow-readers.sh [SIZE_MIB] [THREADS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-100}
THREADS=${2:-4}
ROUNDS=${3:-5}
JAR=server/target/lanfetch-server.jar
[ -f "$JAR" ] || mvn -B -o -q package -pl server -am -DskipTests

. bench/lib.sh
bench_workdir lanfetch-slow
mkdir "$BASE/root"
dd if=/dev/urandom of="$BASE/root/big.bin" bs=1M count="$SIZE_MIB" status=none
SHA=$(sha256sum "$BASE/root/big.bin" | cut -d' ' -f1)
echo "file: $SIZE_MIB MiB; server --threads $THREADS; slow readers: $((THREADS + 10)); java: $(java -version 2>&1 | head -1)"

# The send timeout is long so that no slow reader is cut while the honest client downloads.
start_server "$JAR" "$BASE/root" --quiet --threads "$THREADS" --send-timeout 10m
echo "$LINE"
java -cp "$JAR" bench/SlowReaders.java "$PORT" big.bin "$SHA" $((THREADS + 10)) "$ROUNDS"
grep -q . "$BASE/server.$SERVER_RUN.err" && { echo "server stderr:"; cat "$BASE/server.$SERVER_RUN.err"; }
stop_server
