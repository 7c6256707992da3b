#!/usr/bin/env python3
"""Opens N idle connections to a --tls lanfetch-server, PER_ADDR from each of 127.0.0.2,
127.0.0.3, ... (all loopback), prints "open N failed M" and holds them until stdin ends.
KIND: silent (connect, send nothing); hello (a ClientHello, then nothing); partial (a
ClientHello, then the first bytes of a record that claims 16 KB); done (TLS handshake, then
nothing); welcomed (TLS handshake and lanfetch HELLO/WELCOME, then nothing); stalled (HELLO
and a GET of big/big.bin, then nothing read).
Usage: bench/idle_tls.py HOST PORT KIND N PER_ADDR"""
import socket, ssl, sys, time
host, port, kind, n, per = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
socks = []
failed = 0
for i in range(n):
    src = "127.0.0.%d" % (2 + i // per)
    s = socket.socket()
    if kind == "stalled":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.bind((src, 0))
    try:
        s.connect((host, port))
        if kind == "silent":
            socks.append(s)
        elif kind in ("hello", "partial"):
            s.setblocking(False)
            t = ctx.wrap_socket(s, do_handshake_on_connect=False)
            try:
                t.do_handshake()
            except ssl.SSLWantReadError:
                pass
            if kind == "partial":
                # the start of a record claiming 16 KB, then nothing: the server holds it
                s2 = socket.socket(fileno=t.fileno()); s2.setblocking(True)
                s2.sendall(bytes.fromhex("1703034000") + b"x" * 16)
                s2.detach()
            socks.append(t)
        else:
            t = ctx.wrap_socket(s)
            if kind == "stalled":
                t.sendall(bytes.fromhex("0000000B014C4E46540001" "00000000")
                          + bytes.fromhex("0000001E14000B") + b"big/big.bin" + bytes(8) + b"\xff" * 8)
            if kind == "welcomed":
                t.sendall(bytes.fromhex("0000000B014C4E46540001" "00000000"))
                t.settimeout(30)
                assert len(t.recv(4096)) > 0
            socks.append(t)
    except Exception as e:
        failed += 1
        if failed < 4:
            print("fail", i, e, file=sys.stderr)
print("open", len(socks), "failed", failed, flush=True)
sys.stdin.readline()
