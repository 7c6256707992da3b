#!/usr/bin/env python3
"""lanfetch benchmark harness: lanfetch against nginx + curl, rsync, cp, on loopback or on an
emulated LAN.

Run through bench/run.sh, which installs the tools compared against and, for --lan, creates the
two network namespaces this script is given (it then runs in the clients' one). Every server
binds 127.0.0.1 (or the servers' namespace address) only and is stopped by PID when the run
ends (also on Ctrl-C). Data is deterministic and lives on tmpfs. Commands of one scenario run in
alternation, round after round, so the ratios compare runs made under the same conditions.
"""
import argparse
import atexit
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lfclient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "[接收]"
started = []  # Popen objects of servers this run started


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def stop_servers():
    for p in reversed(started):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    started.clear()


atexit.register(stop_servers)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))


class Net:
    """Where the servers run: on loopback, or (--lan) in the servers' network namespace, reached
    from this one (the clients') over the shaped veth pair bench/run.sh set up."""

    def __init__(self, host="127.0.0.1", server_ns=None, rate=None):
        self.host, self.server_ns, self.rate = host, server_ns, rate

    def server(self, cmd):
        """A server's command line, started in the servers' namespace when there is one.
        `ip netns exec` execs the command, so the Popen PID is still the server's."""
        return ["ip", "netns", "exec", self.server_ns, *cmd] if self.server_ns else cmd


NET = Net()


def free_port():
    # In --lan mode this asks the clients' namespace; the servers' one is fresh and holds
    # only this run's servers, so a port free here is free there in practice.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} before listening")
        try:
            socket.create_connection((NET.host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} did not listen on {NET.host}:{port} within {seconds} s")


# ---------------------------------------------------------------- data

def det_bytes(seed, n):
    return random.Random(seed).randbytes(n)


def generate(data, sizes):
    stamp = data / ".complete"
    want = json.dumps(sizes, sort_keys=True)
    if stamp.exists() and stamp.read_text() == want:
        return
    log(f"generating data in {data} ...")
    shutil.rmtree(data, ignore_errors=True)
    (data / "big").mkdir(parents=True)
    # openssl's AES-CTR keystream: deterministic and fast for the big file.
    with open(data / "big" / "big.bin", "wb") as out:
        subprocess.run(
            f"head -c {sizes['big']} /dev/zero | openssl enc -aes-128-ctr -nosalt "
            "-K 000102030405060708090a0b0c0d0e0f -iv 00000000000000000000000000000000",
            shell=True, stdout=out, check=True)
    (data / "medium").mkdir()
    for i in range(sizes["medium_count"]):
        (data / "medium" / f"m{i:03d}.bin").write_bytes(det_bytes(1000 + i, sizes["medium"]))
    for i in range(sizes["small_count"]):
        d = data / "small" / f"d{i % 10}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:05d}.dat").write_bytes(det_bytes(i, sizes["small"]))
    stamp.write_text(want)


def files_under(base):
    return sorted(p.relative_to(base) for p in base.rglob("*") if p.is_file())


def same_tree(src, dst):
    a, b = files_under(src), files_under(dst)
    if a != b:
        return f"file lists differ: {len(a)} expected, {len(b)} found"
    for rel in a:
        if (src / rel).read_bytes() != (dst / rel).read_bytes():
            return f"content differs: {rel}"
    return None


def same_file(src, dst):
    if not dst.is_file():
        return f"missing {dst}"
    r = subprocess.run(["cmp", "-s", str(src), str(dst)])
    return None if r.returncode == 0 else f"content differs: {dst}"


# ---------------------------------------------------------------- servers

def vm(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_lanfetch(data, port):
    p = subprocess.Popen(NET.server([str(ROOT / "bin" / "lanfetch-server"), str(data), "--bind", NET.host,
                                     "--port", str(port), "--quiet"]),
                         stdout=subprocess.DEVNULL, stderr=sys.stderr)
    started.append(p)
    wait_port(port, p, "lanfetch-server")
    return p


def start_lanfetch_tls(data, port, work):
    """A --tls server with its own key under `work`; returns it and the key's fingerprint."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(work / "tls-config"))
    p = subprocess.Popen(NET.server([str(ROOT / "bin" / "lanfetch-server"), str(data), "--bind", NET.host,
                                     "--port", str(port), "--quiet", "--tls"]),
                         stdout=subprocess.PIPE, stderr=sys.stderr, env=env, text=True)
    started.append(p)
    line = p.stdout.readline()
    if " tls=" not in line:
        raise SystemExit(f"lanfetch-server --tls did not print its startup line: {line!r}")
    threading.Thread(target=p.stdout.read, daemon=True).start()  # never block the server
    wait_port(port, p, "lanfetch-server --tls")
    return p, line.split(" tls=", 1)[1].split()[0]


def java_child(p):
    """The launcher execs java, so the Popen PID is the JVM's."""
    return p.pid


def nginx_tls_key(work):
    """A self-signed P-256 certificate for nginx's HTTPS, as lanfetch's own key is."""
    key, crt = work / "nginx-tls.key", work / "nginx-tls.crt"
    if not crt.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", str(key), "-out", str(crt), "-days", "30",
                        "-subj", "/CN=lanfetch-bench"], check=True, capture_output=True)
    return key, crt


def start_nginx(data, port, work, tls_port=None):
    conf = work / "nginx.conf"
    tls = ""
    if tls_port:
        key, crt = nginx_tls_key(work)
        tls = f"""
  server {{
    listen {NET.host}:{tls_port} ssl;
    ssl_protocols TLSv1.3;
    ssl_certificate {crt};
    ssl_certificate_key {key};
    root {data};
  }}"""
    conf.write_text(f"""
worker_processes 2;
daemon off;
user root;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  fastcgi_temp_path {work}/nginx-fastcgi;
  uwsgi_temp_path {work}/nginx-uwsgi;
  scgi_temp_path {work}/nginx-scgi;
  types {{ application/octet-stream bin dat; }}
  server {{
    listen {NET.host}:{port};
    root {data};
  }}{tls}
}}
""")
    p = subprocess.Popen(NET.server(["nginx", "-c", str(conf), "-p", str(work)]),
                         stdout=subprocess.DEVNULL, stderr=sys.stderr)
    started.append(p)
    wait_port(port, p, "nginx")
    if tls_port:
        wait_port(tls_port, p, "nginx (HTTPS)")
    return p


def start_rsyncd(data, port, work):
    conf = work / "rsyncd.conf"
    conf.write_text(f"""
use chroot = no
pid file = {work}/rsyncd.pid
log file = {work}/rsyncd.log
[data]
  path = {data}
  read only = yes
  uid = root
  gid = root
""")
    p = subprocess.Popen(NET.server(["rsync", "--daemon", "--no-detach", f"--config={conf}",
                                     f"--port={port}", f"--address={NET.host}"]),
                         stdout=subprocess.DEVNULL, stderr=sys.stderr)
    started.append(p)
    wait_port(port, p, "rsync daemon")
    return p


def tree_rss(pid):
    """Peak RSS of a process and its children (nginx workers), summed."""
    total = vm(pid, "VmHWM")
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += vm(int(child), "VmHWM")
    except OSError:
        pass
    return total


# ---------------------------------------------------------------- timing

class Case:
    """One command of a scenario. With sync_first, dirty pages of earlier rounds are written
    back (untimed) before it starts, so a real disk's write-back lands on the run that caused it."""

    def __init__(self, label, cmd, out, check, shell=False, sync_first=False):
        self.label, self.cmd, self.out, self.check, self.shell = label, cmd, out, check, shell
        self.sync_first = sync_first
        self.times = []


def run_scenario(title, cases, runs, on_timed=None):
    """One untimed round, then `runs` timed rounds of every command in alternation, each
    download checked. The untimed round treats every command alike: page cache, the kernel's
    dentries, and a JIT-compiled lanfetch server, as a server that has been up a while has."""
    log(f"== {title}: 1 untimed + {runs} rounds of {len(cases)} commands in alternation")
    for r in range(runs + 1):
        for c in cases:
            dt = run_case(c)
            if r > 0:
                c.times.append(dt)
        if r == 0:
            log("   warm-up round done (not timed)")
            if on_timed:
                on_timed()
        else:
            log(f"   round {r}: " + ", ".join(f"{c.label} {c.times[-1]:.3f}s" for c in cases))
    for c in cases:
        if c.out is not None:
            shutil.rmtree(c.out, ignore_errors=True)
    return cases


def run_case(c):
    """Runs one command into a fresh output directory, checks what it wrote; its wall time."""
    if c.out is not None:
        shutil.rmtree(c.out, ignore_errors=True)
        c.out.mkdir(parents=True)
    if c.sync_first:
        os.sync()
    t0 = time.perf_counter()
    proc = subprocess.run(c.cmd, shell=c.shell, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{c.label} failed ({proc.returncode}): "
                         f"{proc.stderr.decode(errors='replace').strip()}")
    problem = c.check() if c.check else None
    if problem:
        raise SystemExit(f"{c.label}: verification failed: {problem}")
    return dt


def table(title, cases, ratio_to):
    lf = next(c for c in cases if c.label.startswith("lanfetch"))
    lines = [f"### {title}", "",
             "| command | median s | min–max s | lanfetch / this |",
             "|---|---:|---:|---:|"]
    for c in cases:
        med = statistics.median(c.times)
        ratio = "" if c is lf else f"{statistics.median(lf.times) / med:.2f}"
        lines.append(f"| {c.label} | {med:.3f} | {min(c.times):.3f}–{max(c.times):.3f} | {ratio} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- load test

def concurrent_downloads(port, jobs, seconds_limit=300):
    """Runs (name, offset, length) GETs at once over loopback; returns bytes read."""
    errors, total = [], [0]
    lock = threading.Lock()

    def one(i, name, offset, length):
        try:
            # One loopback source address per client (127.0.0.2 and up), as 100 machines
            # would be: from one address the server's per-address limit (64) refuses the rest.
            c = lfclient.Connection("127.0.0.1", port, timeout=seconds_limit,
                                    source=f"127.0.0.{2 + i % 250}")
            try:
                n = c.get(name, None, offset, length)
            finally:
                c.close()
            with lock:
                total[0] += n
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f"{name}: {e}")

    threads = [threading.Thread(target=one, args=(i, *j), daemon=True) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + seconds_limit
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
    if errors:
        raise SystemExit(f"concurrent download failed: {errors[:3]}")
    return total[0]


def memory_under_load(data, sizes, clients):
    results = {}
    mib = 1 << 20
    scenarios = {
        f"{clients} clients x 10 MiB files": [
            (f"medium/m{i % sizes['medium_count']:03d}.bin", 0, -1) for i in range(clients)],
        f"{clients} clients x 64 MiB ranges of the 1 GiB file": [
            ("big/big.bin", (i * 7 * mib) % max(1, sizes["big"] - 64 * mib), min(64 * mib, sizes["big"]))
            for i in range(clients)],
    }
    for label, jobs in scenarios.items():
        port = free_port()
        p = start_lanfetch(data, port)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], vm(p.pid, "VmRSS"))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.perf_counter()
        n = concurrent_downloads(port, jobs)
        dt = time.perf_counter() - t0
        done.set()
        sampler.join()
        results[label] = (max(peak[0], vm(p.pid, "VmHWM")), n, dt)
        started.remove(p)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    return results


# ---------------------------------------------------------------- mirror (issue 13)

class CountingProxy:
    """A loopback TCP relay in front of one port that counts the bytes it carries from the
    server: what a re-run puts on the wire, frames and bodies together."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.down = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, src, dst, count):
        try:
            while True:
                b = src.recv(65536)
                if not b:
                    dst.shutdown(socket.SHUT_WR)
                    return
                if count:
                    self.down += len(b)
                dst.sendall(b)
        except OSError:
            for s in (src, dst):
                s.close()

    def close(self):
        self.sock.close()


def mirror_scenario(lanfetch, lf_port, rsync, data, outs, runs, small_count):
    """`get -r --update --delete` re-runs against `rsync -a --delete` from the daemon, both
    whole processes: nothing changed, then 50 files changed on the server before each round;
    and a 1 GiB file that did not change, with the bytes the re-run puts on the wire."""
    src = data / "mirror"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(data / "small", src)  # copy2: times kept; changed below, so not in small/
    lf_out, rs_out = outs / "mirror-lanfetch", outs / "mirror-rsync"
    for o in (lf_out, rs_out):
        shutil.rmtree(o, ignore_errors=True)
        o.mkdir(parents=True)
    host = f"127.0.0.1:{lf_port}"
    lf = [lanfetch, "get", host, "-r", "mirror", "-o", str(lf_out), "--update", "--delete", "--quiet"]
    rs = ["rsync", "-a", "--delete", f"{rsync}/mirror/", str(rs_out) + "/"]
    files = files_under(src)
    changed = [0]

    def change_50():
        changed[0] += 1
        for i, rel in enumerate(files[changed[0] * 50 % len(files):][:50]):
            f = src / rel
            f.write_bytes(det_bytes(10_000_000 + changed[0] * 100 + i, f.stat().st_size))
            os.utime(f, (time.time(), time.time() + changed[0]))

    def timed(cmd, out, check_dir):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"mirror: {cmd[0]} failed ({proc.returncode}): "
                             f"{proc.stderr.decode(errors='replace').strip()}")
        problem = same_tree(src, check_dir)
        if problem:
            raise SystemExit(f"mirror: {cmd[0]}: verification failed: {problem}")
        return dt

    lines = []
    for title, prepare in (("nothing changed", None), ("50 files changed", change_50)):
        cases = [Case("lanfetch get -r --update --delete", lf, None, None),
                 Case("rsync -a --delete (daemon)", rs, None, None)]
        log(f"== mirror, {title}: 1 untimed + {runs} rounds, alternating")
        for r in range(runs + 1):
            if prepare:
                prepare()
            order = cases if r % 2 == 0 else cases[::-1]
            for c in order:
                dt = timed(c.cmd, None, lf_out / (PREFIX + "mirror") if c is cases[0] else rs_out)
                if r > 0:
                    c.times.append(dt)
        lines.append(table(f"Mirror re-run over {small_count} files of 4 KiB, {title} "
                           "(start-up included)", cases, ""))

    # 1 GiB that did not change: what goes over the wire on a re-run.
    big_out = outs / "mirror-big"
    shutil.rmtree(big_out, ignore_errors=True)
    subprocess.run([lanfetch, "get", host, "-r", "big", "-o", str(big_out), "--update", "--quiet"],
                   check=True)
    proxy = CountingProxy(lf_port)
    t0 = time.perf_counter()
    out = subprocess.run([lanfetch, "get", f"127.0.0.1:{proxy.port}", "-r", "big", "-o", str(big_out),
                          "--update", "--json", "--quiet"], check=True, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    proxy.close()
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    big = data / "big" / "big.bin"
    lines.append(f"1 GiB file unchanged: re-run {dt:.3f} s; body bytes received "
                 f"{summary['bytes']}, bytes from the server on the wire {proxy.down} "
                 f"(the handshake and one listing), unchanged {summary['unchanged']}; "
                 f"copy {'identical' if same_file(big, big_out / (PREFIX + 'big') / 'big.bin') is None else 'DIFFERS'}.\n")
    shutil.rmtree(src, ignore_errors=True)
    for o in (lf_out, rs_out, big_out):
        shutil.rmtree(o, ignore_errors=True)
    return "\n".join(lines)


# ---------------------------------------------------------------- LAN scenarios

LAN_SCENARIOS = "big,disk,tls,medium,small,start"


def load_average():
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def link_case(big, work):
    """The raw TCP goodput of the link (bench/goodput.py), timed as one more command."""
    port = free_port()
    p = subprocess.Popen(NET.server([sys.executable, str(ROOT / "bench" / "goodput.py"), "serve",
                                     NET.host, str(port), str(big)]),
                         stdout=subprocess.DEVNULL, stderr=sys.stderr)
    started.append(p)
    wait_port(port, p, "goodput server")
    seconds = work / "goodput.log"
    seconds.unlink(missing_ok=True)
    return [Case("raw TCP copy (link goodput; python start-up included)",
                 [sys.executable, str(ROOT / "bench" / "goodput.py"), "fetch", NET.host, str(port),
                  str(big.stat().st_size), str(seconds)], None, None)]


def link_share(cases, size, work):
    """lanfetch's speed as a share of the link's goodput: the raw copy's connect-to-last-byte
    time, without its interpreter's start-up (the timed rounds only: the log's last lines)."""
    lf = statistics.median(cases[0].times)
    raw = statistics.median(float(x) for x in
                            (work / "goodput.log").read_text().split()[-len(cases[-1].times):])
    return (f"Link goodput (one raw TCP connection, connect to last byte): {size / raw / 1e6:.0f} MB/s "
            f"({raw:.3f} s). lanfetch get: "
            f"{size / lf / 1e6:.0f} MB/s, **{100 * raw / lf:.0f}%** of it; "
            f"to /dev/null {100 * raw / statistics.median(cases[1].times):.0f}%; "
            f"nginx + curl {100 * raw / statistics.median(cases[2].times):.0f}%.\n")


def disk_scenario(disk, big, lanfetch, lf_host, http, rsync, runs):
    """The big file onto a real disk, where lanfetch's promise (on disk before its final name)
    costs a write-back that tmpfs hides. Every command starts with no dirty pages left over."""
    disk.mkdir(parents=True, exist_ok=True)
    atexit.register(shutil.rmtree, disk, True)  # also when the run is stopped
    fstype = subprocess.run(["df", "--output=fstype", str(disk)], capture_output=True,
                            text=True, check=True).stdout.split()[-1]
    if fstype in ("tmpfs", "ramfs"):
        raise SystemExit(f"--disk {disk} is on {fstype}; the disk scenario needs a real disk")
    o = {k: disk / k for k in ("lanfetch", "curl", "curlsync", "rsync")}
    name = big.name
    cases = run_scenario(f"one {big.stat().st_size >> 20} MiB file to {fstype} ({disk})", [
        Case("lanfetch get", [lanfetch, "get", lf_host, "big/" + name, "-o", str(o["lanfetch"]), "--quiet"],
             o["lanfetch"], lambda: same_file(big, o["lanfetch"] / (PREFIX + name)), sync_first=True),
        Case("nginx + curl", ["curl", "-sS", "-o", str(o["curl"] / name), f"{http}/big/{name}"],
             o["curl"], lambda: same_file(big, o["curl"] / name), sync_first=True),
        Case("nginx + curl, then sync", f"curl -sS -o '{o['curlsync']}/{name}' {http}/big/{name}"
             f" && sync '{o['curlsync']}/{name}'",
             o["curlsync"], lambda: same_file(big, o["curlsync"] / name), shell=True, sync_first=True),
        Case("rsync daemon", ["rsync", "-a", "--inplace", f"{rsync}/big/{name}", str(o["rsync"]) + "/"],
             o["rsync"], lambda: same_file(big, o["rsync"] / name), sync_first=True),
    ], runs)
    shutil.rmtree(disk, ignore_errors=True)
    return table(f"One {big.stat().st_size >> 20} MiB file to a real disk ({fstype})", cases, "")


def tls_scenario(data, work, outs, big, lanfetch, lf_host, https, runs):
    """The big file over TLS 1.3: lanfetch --tls against nginx serving HTTPS to curl."""
    port = free_port()
    tls_server, fingerprint = start_lanfetch_tls(data, port, work)
    tls_host = f"{NET.host}:{port}"
    # The client's known_hosts goes to the work directory, not the user's.
    env = f"XDG_CONFIG_HOME='{work / 'tls-client'}'"
    o = {k: outs / k for k in ("lanfetch", "curl")}
    name = big.name
    cases = run_scenario(f"one {big.stat().st_size >> 20} MiB file over TLS", [
        Case("lanfetch get --tls", f"{env} '{lanfetch}' get {tls_host} big/{name} --tls --fingerprint "
             f"{fingerprint} -o '{o['lanfetch']}' --quiet",
             o["lanfetch"], lambda: same_file(big, o["lanfetch"] / (PREFIX + name)), shell=True),
        Case("lanfetch get --tls -o - (to /dev/null)", f"{env} '{lanfetch}' get {tls_host} big/{name} --tls "
             f"--fingerprint {fingerprint} -o - --quiet > /dev/null", None, None, shell=True),
        Case("nginx HTTPS (TLS 1.3) + curl", ["curl", "-sS", "-k", "--tlsv1.3", "-o", str(o["curl"] / name),
                                             f"{https}/big/{name}"],
             o["curl"], lambda: same_file(big, o["curl"] / name)),
        Case("nginx HTTPS + curl -o /dev/null", ["curl", "-sS", "-k", "--tlsv1.3", "-o", "/dev/null",
                                                f"{https}/big/{name}"], None, None),
        Case("lanfetch get, plain, -o - (to /dev/null)",
             f"'{lanfetch}' get {lf_host} big/{name} -o - --quiet > /dev/null", None, None, shell=True),
    ], runs)
    started.remove(tls_server)
    tls_server.send_signal(signal.SIGTERM)
    tls_server.wait(timeout=30)
    return table(f"One {big.stat().st_size >> 20} MiB file over TLS 1.3, to tmpfs", cases, "")


# ---------------------------------------------------------------- main

def warm_up(lanfetch, host, out):
    """Untimed one-file downloads before any timing: the launcher's first get records the
    class list and its second dumps the AppCDS archive (a second, once), which would
    otherwise land in the first timed round. As for a user, the archive is made from a
    one-file run, so a tree download loads some classes (mostly lambdas) from the jar."""
    for _ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([lanfetch, "get", host, "small/d0/f00000.dat", "-o", str(out), "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(out, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5, help="rounds per scenario (default 5)")
    ap.add_argument("--quick", action="store_true", help="small data, 2 rounds: a smoke test")
    ap.add_argument("--data", type=Path, default=Path("/dev/shm/lanfetch-bench"))
    ap.add_argument("--only", default="big,medium,small,start,mirror,memory",
                    help="comma-separated scenarios (default: all)")
    ap.add_argument("--report", type=Path, help="also write the markdown tables here")
    ap.add_argument("--lan", metavar="RATE", help=argparse.SUPPRESS)  # set by bench/run.sh --lan
    ap.add_argument("--server-ns", help=argparse.SUPPRESS)
    ap.add_argument("--server-addr", help=argparse.SUPPRESS)
    ap.add_argument("--disk", type=Path, default=Path("/var/tmp/lanfetch-bench-disk"),
                    help="a directory on a real disk (not tmpfs), for the 'disk' scenario")
    args = ap.parse_args()
    global NET
    if args.lan:
        if not (args.server_ns and args.server_addr):
            raise SystemExit("run.py: --lan is set up by bench/run.sh --lan RATE; run that instead")
        NET = Net(args.server_addr, args.server_ns, args.lan)
        if args.data == ap.get_default("data"):
            args.data = Path("/dev/shm/lanfetch-bench-lan")
        if args.only == ap.get_default("only"):
            args.only = LAN_SCENARIOS

    sizes = (dict(big=64 << 20, medium=1 << 20, medium_count=20, small=4096, small_count=500)
             if args.quick else
             # On a link the big file and the medium set are smaller, to keep a run in minutes.
             dict(big=512 << 20, medium=10 << 20, medium_count=40, small=4096, small_count=5000)
             if args.lan else
             dict(big=1 << 30, medium=10 << 20, medium_count=100, small=4096, small_count=5000))
    runs = 2 if args.quick else args.runs
    only = set(args.only.split(","))
    data = args.data / "data"
    work = args.data / "work"
    outs = args.data / "out"
    work.mkdir(parents=True, exist_ok=True)
    generate(data, sizes)

    lf_port, ng_port, ngs_port, rs_port = free_port(), free_port(), free_port(), free_port()
    lf = start_lanfetch(data, lf_port)
    ng = start_nginx(data, ng_port, work, tls_port=ngs_port if "tls" in only else None)
    rs = start_rsyncd(data, rs_port, work)
    lanfetch = str(ROOT / "bin" / "lanfetch")
    lf_host = f"{NET.host}:{lf_port}"
    http = f"http://{NET.host}:{ng_port}"
    rsync = f"rsync://{NET.host}:{rs_port}/data"
    where = (f"over an emulated {NET.rate} link (veth between two network namespaces, "
             f"tbf rate {NET.rate} burst 256kb latency 5ms on each end)" if NET.rate else "over loopback")
    report = [f"Run on {time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.node()}, "
              f"{os.cpu_count()} cores, Linux {platform.release()}, "
              f"{subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}, "
              f"{where}. Load average at the start: {load_average()}."
              f" Data on tmpfs; {runs} rounds per scenario, commands alternating.\n"]

    warm_up(lanfetch, lf_host, outs / "warmup")

    big = data / "big" / "big.bin"
    if "big" in only:
        o = {k: outs / k for k in ("lanfetch", "curl", "cp", "rsync")}
        cpu0 = [0.0]

        def count_cpu():  # the timed rounds only: the untimed one served a copy of each too
            cpu0[0] = cpu_seconds(lf.pid)

        link = link_case(big, work) if NET.rate else []
        cases = run_scenario(f"one {sizes['big'] >> 20} MiB file", [
            Case("lanfetch get", [lanfetch, "get", lf_host, "big/big.bin", "-o", str(o["lanfetch"]), "--quiet"],
                 o["lanfetch"], lambda: same_file(big, o["lanfetch"] / (PREFIX + "big.bin"))),
            Case("lanfetch get -o - (to /dev/null)",
                 f"'{lanfetch}' get {lf_host} big/big.bin -o - --quiet > /dev/null", None, None, shell=True),
            Case("nginx + curl", ["curl", "-sS", "-o", str(o["curl"] / "big.bin"), f"{http}/big/big.bin"],
                 o["curl"], lambda: same_file(big, o["curl"] / "big.bin")),
            Case("curl -o /dev/null (network ceiling)", ["curl", "-sS", "-o", "/dev/null", f"{http}/big/big.bin"],
                 None, None),
            Case("rsync daemon", ["rsync", "-a", "--inplace", f"{rsync}/big/big.bin", str(o["rsync"]) + "/"],
                 o["rsync"], lambda: same_file(big, o["rsync"] / "big.bin")),
            Case("cp (memory-copy ceiling)", ["cp", str(big), str(o["cp"] / "big.bin")],
                 o["cp"], lambda: same_file(big, o["cp"] / "big.bin")),
            *link,
        ], runs, on_timed=count_cpu)
        cpu = cpu_seconds(lf.pid) - cpu0[0]
        served_gib = 2 * runs * sizes["big"] / (1 << 30)
        report.append(table(f"One {sizes['big'] >> 20} MiB file to tmpfs", cases, "nginx + curl"))
        cp_med = statistics.median(cases[5].times)
        report.append(f"lanfetch / cp: {statistics.median(cases[0].times) / cp_med:.2f}. "
                      f"Server CPU: {cpu / served_gib:.3f} s per GiB served "
                      f"({cpu:.2f} s user+sys for {served_gib:.1f} GiB).\n")
        if link:
            report.append(link_share(cases, sizes["big"], work))

    if "disk" in only:
        report.append(disk_scenario(args.disk, big, lanfetch, lf_host, http, rsync, runs))

    if "tls" in only:
        report.append(tls_scenario(data, work, outs, big, lanfetch, lf_host,
                                   f"https://{NET.host}:{ngs_port}", runs))

    medium = data / "medium"
    if "medium" in only:
        o = {k: outs / k for k in ("lanfetch", "curl", "rsync")}
        cfg = work / "curl-medium.cfg"
        cfg.write_text("".join(f'url = "{http}/medium/{p.name}"\noutput = "{o["curl"]}/{p.name}"\n'
                               for p in sorted(medium.iterdir())))
        cases = run_scenario(f"{sizes['medium_count']} files of {sizes['medium'] >> 20} MiB", [
            Case("lanfetch get -r -j 8", [lanfetch, "get", lf_host, "-r", "medium", "-j", "8",
                                           "-o", str(o["lanfetch"]), "--quiet"],
                 o["lanfetch"], lambda: same_tree(medium, o["lanfetch"] / (PREFIX + "medium"))),
            Case("nginx + curl --parallel 8", ["curl", "-sS", "--parallel", "--parallel-max", "8",
                                                "-K", str(cfg)],
                 o["curl"], lambda: same_tree(medium, o["curl"])),
            Case("rsync daemon", ["rsync", "-a", f"{rsync}/medium/", str(o["rsync"]) + "/"],
                 o["rsync"], lambda: same_tree(medium, o["rsync"])),
        ], runs)
        report.append(table(f"{sizes['medium_count']} files of {sizes['medium'] >> 20} MiB", cases, ""))

    small = data / "small"
    if "small" in only:
        o = {k: outs / k for k in ("lanfetch", "curl", "rsync")}
        cfg = work / "curl-small.cfg"
        cfg.write_text("".join(f'url = "{http}/small/{rel}"\noutput = "{o["curl"]}/{rel}"\n'
                               for rel in files_under(small)))
        cases = run_scenario(f"{sizes['small_count']} files of 4 KiB", [
            Case("lanfetch get -r -j 4", [lanfetch, "get", lf_host, "-r", "small", "-j", "4",
                                           "-o", str(o["lanfetch"]), "--quiet"],
                 o["lanfetch"], lambda: same_tree(small, o["lanfetch"] / (PREFIX + "small"))),
            Case("rsync daemon", ["rsync", "-a", f"{rsync}/small/", str(o["rsync"]) + "/"],
                 o["rsync"], lambda: same_tree(small, o["rsync"])),
            Case("nginx + curl --parallel 8", ["curl", "-sS", "--create-dirs", "--parallel",
                                                "--parallel-max", "8", "-K", str(cfg)],
                 o["curl"], lambda: same_tree(small, o["curl"])),
        ], runs)
        report.append(table(f"{sizes['small_count']} files of 4 KiB (JVM start-up included)", cases, ""))
        med = statistics.median(cases[0].times)
        report.append(f"lanfetch: {sizes['small_count'] / med:,.0f} files/s; rsync: "
                      f"{sizes['small_count'] / statistics.median(cases[1].times):,.0f} files/s.\n")

    if "start" in only and shutil.which("hyperfine"):
        hello = work / "hello"
        hello.mkdir(exist_ok=True)
        (hello / "Hello.java").write_text(
            'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n')
        subprocess.run(["javac", "-d", str(hello), str(hello / "Hello.java")], check=True)
        one = outs / "one"
        js = work / "hyperfine-start.json"
        subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", "10" if args.quick else "30",
                        "--export-json", str(js), "--style", "basic",
                        "--prepare", f"rm -rf {one}",
                        "-n", "java Hello", f"java -cp {hello} Hello",
                        "-n", "lanfetch get (one 4 KiB file)",
                        f"{lanfetch} get {lf_host} small/d0/f00000.dat -o {one} --quiet"],
                       check=True, stdout=sys.stderr)
        res = json.loads(js.read_text())["results"]
        hello_t, lf_t = res[0]["median"], res[1]["median"]
        report.append("### One 4 KiB file, whole process (hyperfine)\n\n"
                      "| command | median s | min–max s |\n|---|---:|---:|\n"
                      + "".join(f"| {r['command']} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} |\n"
                                for r in res)
                      + f"\nlanfetch / java Hello: {lf_t / hello_t:.2f} (target ≤ 4).\n")

    if "mirror" in only:
        report.append(mirror_scenario(lanfetch, lf_port, rsync, data, outs, runs, sizes["small_count"]))

    report.append("### Peak RSS of each server over the scenarios above\n\n"
                  "| server | peak RSS MiB |\n|---|---:|\n"
                  f"| lanfetch-server | {vm(lf.pid, 'VmHWM') / (1 << 20):.1f} |\n"
                  f"| nginx (master + workers) | {tree_rss(ng.pid) / (1 << 20):.1f} |\n"
                  f"| rsync daemon (master) | {vm(rs.pid, 'VmHWM') / (1 << 20):.1f} |\n")
    stop_servers()

    if "memory" in only and NET.rate:
        log("memory: a loopback scenario (100 client addresses); skipped with --lan")
    elif "memory" in only:
        clients = 20 if args.quick else 100
        try:
            res = memory_under_load(data, sizes, clients)
        except SystemExit as e:  # keep the tables measured so far
            res = {}
            report.append(f"Memory test failed: {e}\n")
        report.append("### lanfetch-server memory, concurrent clients (launcher defaults)\n\n"
                      "| load | peak RSS MiB | bytes served | seconds |\n|---|---:|---:|---:|\n"
                      + "".join(f"| {k} | {v[0] / (1 << 20):.1f} | {v[1]:,} | {v[2]:.1f} |\n"
                                for k, v in res.items()))

    text = "\n".join(report)
    print(text)
    if args.report:
        args.report.write_text(text)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
