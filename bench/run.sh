#!/usr/bin/env bash
# Benchmark lanfetch against nginx + curl, rsync and cp on this machine.
#   bench/run.sh [--lan RATE] [--quick] [--runs N] [--only SCENARIOS] [--report FILE]
# Installs what it compares against when missing (Debian/Ubuntu packages), builds lanfetch,
# generates deterministic data on /dev/shm, and prints markdown tables for BENCHMARKS.md.
#
# Without --lan everything talks over loopback. With --lan RATE (1gbit, 10gbit, 500mbit: any
# rate tc understands) the run emulates a LAN: two network namespaces joined by a veth pair,
# each end shaped with `tc qdisc ... tbf rate RATE burst 256kb latency 5ms`, every server in
# one namespace and every client in the other, on addresses that exist only inside them
# (10.99.0.1 and 10.99.0.2). The namespaces are removed when the run ends, fails or is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

lan_rate=""
args=()
while (($#)); do
  case $1 in
    --lan) [[ $# -ge 2 ]] || { echo "bench: --lan needs a rate, e.g. --lan 1gbit" >&2; exit 2; }
           lan_rate=$2; shift 2 ;;
    --lan=*) lan_rate=${1#--lan=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v rsync >/dev/null || need+=(rsync)
command -v curl >/dev/null || need+=(curl)
command -v wget >/dev/null || need+=(wget)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v python3 >/dev/null || need+=(python3)
command -v openssl >/dev/null || need+=(openssl)
if [[ -n $lan_rate ]]; then
  command -v ip >/dev/null || need+=(iproute2)
  command -v tc >/dev/null || need+=(iproute2)
fi
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Build (or refresh) both jars through the launchers, so the benchmark runs what users run.
bin/lanfetch --version >/dev/null
bin/lanfetch-server --version >/dev/null

if [[ -z $lan_rate ]]; then
  exec python3 bench/run.py ${args[@]+"${args[@]}"}
fi

# ---- the emulated LAN
# Names carry this shell's PID, so two runs (or other tools' namespaces) never collide.
id=$$
srv_ns=lfbench-srv-$id
cli_ns=lfbench-cli-$id
srv_if=lfs$id   # interface names: at most 15 characters
cli_if=lfc$id
srv_addr=10.99.0.1
cli_addr=10.99.0.2

lan_down() {
  ip netns del "$srv_ns" 2>/dev/null || true  # deleting a namespace removes its veth end too
  ip netns del "$cli_ns" 2>/dev/null || true
}
if ! ip netns add "$srv_ns" 2>/dev/null; then
  echo "bench: --lan needs to create network namespaces (root, or CAP_SYS_ADMIN and CAP_NET_ADMIN), and cannot here" >&2
  exit 1
fi
harness=""
stop_harness() {  # Ctrl-C or kill: the harness stops its servers on SIGTERM, then the trap on EXIT
  [[ -n $harness ]] && kill -TERM "$harness" 2>/dev/null && wait "$harness" 2>/dev/null
  exit "$1"
}
trap lan_down EXIT
trap 'stop_harness 130' INT
trap 'stop_harness 143' TERM
ip netns add "$cli_ns"
ip link add "$srv_if" type veth peer name "$cli_if"
ip link set "$srv_if" netns "$srv_ns"
ip link set "$cli_if" netns "$cli_ns"
ip -n "$srv_ns" addr add "$srv_addr/24" dev "$srv_if"
ip -n "$cli_ns" addr add "$cli_addr/24" dev "$cli_if"
for ns_if in "$srv_ns $srv_if" "$cli_ns $cli_if"; do
  set -- $ns_if
  ip -n "$1" link set lo up
  ip -n "$1" link set "$2" up
  tc -n "$1" qdisc add dev "$2" root tbf rate "$lan_rate" burst 256kb latency 5ms \
    || { echo "bench: tc cannot shape $2 to '$lan_rate' (tbf qdisc missing, or not a rate tc knows)" >&2; exit 1; }
done
echo "bench: emulated LAN $lan_rate: servers in $srv_ns ($srv_addr), clients in $cli_ns ($cli_addr)" >&2

# The harness runs in the clients' namespace and starts every server through `ip netns exec`.
# In the background and waited for, so that the traps above run as soon as a signal comes.
ip netns exec "$cli_ns" python3 bench/run.py --lan "$lan_rate" --server-ns "$srv_ns" \
  --server-addr "$srv_addr" ${args[@]+"${args[@]}"} &
harness=$!
wait "$harness"
