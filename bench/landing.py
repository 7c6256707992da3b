#!/usr/bin/env python3
"""The client's landing path on loopback: lanfetch against rsync and curl, into a chosen
output directory (by default /var/tmp, a real disk here, so the cost of durability shows).

  python3 bench/landing.py [--out DIR] [--only small,big,medium] [--runs N] [--jobs 4,8]
                           [--lanfetch DIR] [--baseline DIR]

--lanfetch and --baseline name checkouts, or copies of their bin/ and client/target/lanfetch.jar
(a copy is not rebuilt by the launcher while you edit the sources).

Servers read from tmpfs and bind 127.0.0.1 only (bench/run.py starts them and stops them by
PID). Commands alternate round after round after an untimed round. Before every command the
page cache is written back (`sync`, untimed), so nobody pays for the previous command's dirty
pages: curl and rsync leave theirs to the kernel, lanfetch syncs its own.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: data, servers, cases)

PREFIX = run.PREFIX


def timed(c):
    if c.out is not None:
        shutil.rmtree(c.out, ignore_errors=True)
    os.sync()
    return run.run_case(c)


def scenario(title, cases, rounds):
    run.log(f"== {title}: 1 untimed + {rounds} rounds, alternating; load {os.getloadavg()}")
    for r in range(rounds + 1):
        for c in cases:
            dt = timed(c)
            if r > 0:
                c.times.append(dt)
        if r > 0:
            run.log(f"   round {r}: " + ", ".join(f"{c.label} {c.times[-1]:.3f}s" for c in cases))
    ref = statistics.median(cases[-1].times)
    lines = [f"\n{title} (load average after: {os.getloadavg()[0]:.2f})",
             f"| command | median | min | max | / {cases[-1].label} |", "|---|---:|---:|---:|---:|"]
    for c in cases:
        m = statistics.median(c.times)
        lines.append(f"| {c.label} | {m:.3f} s | {min(c.times):.3f} | {max(c.times):.3f} | {m / ref:.2f} |")
    for c in cases:
        if c.out is not None:
            shutil.rmtree(c.out, ignore_errors=True)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("/var/tmp/lanfetch-landing"))
    ap.add_argument("--data", type=Path, default=Path("/dev/shm/lanfetch-landing"))
    ap.add_argument("--only", default="small,big,medium")
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--jobs", default="4", help="-j for the small files (comma-separated)")
    ap.add_argument("--big-mib", type=int, default=512)
    ap.add_argument("--lanfetch", type=Path, default=run.ROOT,
                    help="the checkout (or copy of bin/ and client/target/) whose bin/lanfetch is timed")
    ap.add_argument("--baseline", type=Path, help="another such checkout or copy, timed alongside")
    args = ap.parse_args()

    sizes = dict(big=args.big_mib << 20, medium=10 << 20, medium_count=40, small=4096, small_count=5000)
    data, work = args.data / "data", args.data / "work"
    work.mkdir(parents=True, exist_ok=True)
    run.generate(data, sizes)
    lf_port, ng_port, rs_port = run.free_port(), run.free_port(), run.free_port()
    run.start_lanfetch(data, lf_port)
    run.start_nginx(data, ng_port, work)
    run.start_rsyncd(data, rs_port, work)
    host, http, rsync = f"127.0.0.1:{lf_port}", f"http://127.0.0.1:{ng_port}", f"rsync://127.0.0.1:{rs_port}/data"
    lanfetches = [("lanfetch", str(args.lanfetch / "bin" / "lanfetch"))]
    if args.baseline:
        lanfetches.append(("lanfetch baseline", str(args.baseline / "bin" / "lanfetch")))
    for _, exe in lanfetches:
        run.warm_up(exe, host, args.out / "warmup")
    out = args.out
    only = set(args.only.split(","))
    report = [f"{time.strftime('%Y-%m-%d %H:%M %Z')}: output to {out} "
              f"({subprocess.run(['stat', '-f', '-c', '%T', str(out.parent)], capture_output=True, text=True).stdout.strip()})"]

    if "small" in only:
        small = data / "small"
        for j in args.jobs.split(","):
            cases = []
            for label, exe in lanfetches:
                o = out / label.replace(" ", "-")
                cases.append(run.Case(f"{label} -r -j {j}", [exe, "get", host, "-r", "small", "-o", str(o), "-j", j, "--quiet"],
                                      o, lambda o=o: run.same_tree(small, o / (PREFIX + "small"))))
            o = out / "rsync"
            cases.append(run.Case("rsync daemon", ["rsync", "-a", f"{rsync}/small/", str(o) + "/"],
                                  o, lambda o=o: run.same_tree(small, o)))
            report.append(scenario(f"5,000 x 4 KiB, -j {j}", cases, args.runs))

    if "big" in only:
        big = data / "big" / "big.bin"
        cases = []
        for label, exe in lanfetches:
            o = out / label.replace(" ", "-")
            cases.append(run.Case(label, [exe, "get", host, "big/big.bin", "-o", str(o), "--quiet"],
                                  o, lambda o=o: run.same_file(big, o / (PREFIX + "big.bin"))))
        o = out / "curl"
        cases.append(run.Case("nginx + curl", ["curl", "-sS", "-o", str(o / "big.bin"), f"{http}/big/big.bin"],
                              o, lambda o=o: run.same_file(big, o / "big.bin")))
        report.append(scenario(f"one {args.big_mib} MiB file", cases, args.runs))

    if "medium" in only:
        medium = data / "medium"
        cases = []
        for label, exe in lanfetches:
            o = out / label.replace(" ", "-")
            cases.append(run.Case(f"{label} -j 8", [exe, "get", host, "-r", "medium", "-o", str(o), "-j", "8", "--quiet"],
                                  o, lambda o=o: run.same_tree(medium, o / (PREFIX + "medium"))))
        o = out / "rsync"
        cases.append(run.Case("rsync daemon", ["rsync", "-a", f"{rsync}/medium/", str(o) + "/"],
                              o, lambda o=o: run.same_tree(medium, o)))
        o = out / "curl"
        names = sorted(p.name for p in medium.iterdir())
        cmd = ["curl", "-sS", "--parallel", "--parallel-max", "8"]
        for n in names:
            cmd += ["-o", str(o / n), f"{http}/medium/{n}"]
        cases.append(run.Case("curl --parallel 8", cmd, o, lambda o=o: run.same_tree(medium, o)))
        report.append(scenario("40 x 10 MiB", cases, args.runs))

    print("\n".join(report))


if __name__ == "__main__":
    main()
