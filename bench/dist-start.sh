#!/usr/bin/env bash
# Start-up of the packaged client against today's launcher, for BENCHMARKS.md ("Packaged
# runtime"): `lanfetch --version`, a one-file get and a 5,000-file get -r, each with
# hyperfine, in alternating rounds (the machine is shared: only ranges across rounds mean much).
#
#   bench/dist-start.sh DEB... [--rounds N]
#
# Each DEB is unpacked with dpkg-deb -x (nothing is installed), its postinst's archive step
# run in place, and its /usr/bin/lanfetch timed. Serves on 127.0.0.1 only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
debs=()
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    *) debs+=("$(readlink -f "$1")"); shift ;;
  esac
done
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
work=$(mktemp -d /dev/shm/lanfetch-dist-bench.XXXXXX)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/served/small"
head -c 4096 /dev/urandom >"$work/served/one.bin"
for d in $(seq 0 9); do
  mkdir -p "$work/served/small/d$d"
  for f in $(seq 0 499); do head -c 4096 /dev/zero >"$work/served/small/d$d/f$f.bin"; done
done

bin/lanfetch-server --port 0 --bind 127.0.0.1 -q "$work/served" >"$work/server.log" 2>&1 &
server=$!
until grep -qs 'listening on' "$work/server.log"; do kill -0 "$server"; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.log")
addr=127.0.0.1:$port

names=(today)
launchers=("$PWD/bin/lanfetch")
for i in "${!debs[@]}"; do
  deb=${debs[$i]}
  root=$work/deb$i
  dpkg-deb -x "$deb" "$root"
  "$root/usr/lib/lanfetch/lib/make-cds"
  java=$(env -i "$root/usr/lib/lanfetch/runtime/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = //p')
  names+=("deb-java$java")
  launchers+=("$root/usr/bin/lanfetch")
done
# Warm-up: page cache, and today's launcher trains its AppCDS archive on its first get.
for l in "${launchers[@]}"; do
  for _ in 1 2 3; do "$l" get "$addr" one.bin -o "$work/out" --overwrite -q; done
done

for round in $(seq 1 "$rounds"); do
  for i in "${!launchers[@]}"; do
    l=${launchers[$i]}
    hyperfine -N -w 2 -r 15 --export-json "$work/r$round-$i-version.json" "$l --version" >/dev/null
    hyperfine -N -w 2 -r 15 --export-json "$work/r$round-$i-get.json" \
      "$l get $addr one.bin -o $work/out --overwrite -q" >/dev/null
    hyperfine -w 1 -r 3 --prepare "rm -rf $work/outr" --export-json "$work/r$round-$i-tree.json" \
      "$l get $addr -r small -j 4 -o $work/outr -q" >/dev/null
    for what in version get tree; do
      # round, launcher, scenario, median wall ms, its stddev, mean CPU (user+sys) ms: CPU
      # time says more than wall time when other jobs share the cores.
      python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%s\t%s\t%s\t%.1f\t%.1f\t%.1f" % (sys.argv[2], sys.argv[3], sys.argv[4], r["median"]*1000, r["stddev"]*1000, (r["user"]+r["system"])*1000))' \
        "$work/r$round-$i-$what.json" "$round" "${names[$i]}" "$what"
    done
  done
done | tee "${BENCH_OUT:-/dev/stderr}"
