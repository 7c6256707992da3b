#!/usr/bin/env bash
# Benchmark lanfetch against nginx + curl, rsync and cp on this machine (loopback only).
#   bench/run.sh [--quick] [--runs N] [--only big,medium,small,start,memory] [--report FILE]
# Installs what it compares against when missing (Debian/Ubuntu packages), builds lanfetch,
# generates deterministic data on /dev/shm, and prints markdown tables for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v rsync >/dev/null || need+=(rsync)
command -v curl >/dev/null || need+=(curl)
command -v wget >/dev/null || need+=(wget)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v python3 >/dev/null || need+=(python3)
command -v openssl >/dev/null || need+=(openssl)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Build (or refresh) both jars through the launchers, so the benchmark runs what users run.
bin/lanfetch --version >/dev/null
bin/lanfetch-server --version >/dev/null

exec python3 bench/run.py "$@"
