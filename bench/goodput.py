#!/usr/bin/env python3
"""The link's goodput, as a floor no file transfer can beat: one TCP connection carrying one
file, sent with sendfile(2) from the page cache and read into a buffer that is thrown away.

    python3 bench/goodput.py serve HOST PORT FILE   # answers every connection with FILE, forever
    python3 bench/goodput.py fetch HOST PORT SIZE [LOG]   # reads SIZE bytes, exits 1 if fewer
                                                          # came; appends the seconds from
                                                          # connect to last byte to LOG

The benchmark harness (bench/run.py) runs `serve` in the servers' network namespace and times
`fetch` like any other command, alternating with the real downloads.
"""
import os
import socket
import sys
import threading
import time


def serve(host, port, path):
    with socket.create_server((host, int(port)), reuse_port=False) as listener:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=send, args=(conn, path), daemon=True).start()


def send(conn, path):
    with conn, open(path, "rb") as f:
        try:
            conn.sendfile(f)
        except OSError:
            pass  # the reader went away; the next connection starts afresh


def fetch(host, port, size, log=None):
    want, got = int(size), 0
    buf = bytearray(1 << 20)
    t0 = time.perf_counter()
    with socket.create_connection((host, int(port))) as s:
        while got < want:
            n = s.recv_into(buf)
            if n == 0:
                break
            got += n
    if got != want:
        sys.exit(f"goodput: {got} bytes of {want}")
    if log:
        with open(log, "a") as f:
            f.write(f"{time.perf_counter() - t0:.6f}\n")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "serve":
        serve(*sys.argv[2:])
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "fetch":
        fetch(*sys.argv[2:])
    else:
        sys.exit(__doc__)
    os._exit(0)
