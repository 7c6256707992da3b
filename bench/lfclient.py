#!/usr/bin/env python3
"""A minimal lanfetch client written from PROTOCOL.md alone, in Python.

It exists for two reasons: the benchmark uses it to load the server with many concurrent
downloads without starting a JVM per client, and it shows that the spec is enough to write a
compatible client. It speaks version 1: HELLO, LIST, STAT, GET, HASH.

    python3 bench/lfclient.py HOST PORT get NAME [OUT]
    python3 bench/lfclient.py HOST PORT list [DIR]
    python3 bench/lfclient.py HOST PORT hash NAME
"""
import socket
import struct
import sys

MAGIC = 0x4C4E4654
T_HELLO, T_WELCOME = 0x01, 0x02
T_LIST, T_LIST_CHUNK, T_STAT, T_STAT_RESULT = 0x10, 0x11, 0x12, 0x13
T_GET, T_GET_HEADER, T_HASH, T_HASH_RESULT, T_ERROR = 0x14, 0x15, 0x16, 0x17, 0x7F
MAX_FRAME = 65536


class ServerError(Exception):
    def __init__(self, code, closing, message):
        super().__init__(f"server error 0x{code:04X}: {message}")
        self.code, self.closing = code, closing


def _s(text):
    b = text.encode("utf-8")
    return struct.pack(">H", len(b)) + b


class Reader:
    def __init__(self, payload):
        self.b, self.i = payload, 0

    def take(self, n):
        if self.i + n > len(self.b):
            raise ValueError("truncated frame")
        v = self.b[self.i:self.i + n]
        self.i += n
        return v

    def u8(self): return self.take(1)[0]
    def u16(self): return struct.unpack(">H", self.take(2))[0]
    def u32(self): return struct.unpack(">I", self.take(4))[0]
    def u64(self): return struct.unpack(">Q", self.take(8))[0]
    def i64(self): return struct.unpack(">q", self.take(8))[0]
    def s(self): return self.take(self.u16()).decode("utf-8", errors="strict")

    def entry(self):
        kind, size, mtime = self.u8(), self.u64(), self.i64()
        return {"kind": {1: "file", 2: "dir"}[kind], "size": size, "mtime": mtime, "name": self.s()}

    def end(self):
        if self.i != len(self.b):
            raise ValueError("bytes left over in frame")


class Connection:
    def __init__(self, host, port, timeout=30, source=None):
        """source: a local address to connect from, e.g. 127.0.0.7, so that many clients on
        one machine look like many machines to the server's per-address limit."""
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.sock.makefile("rb", buffering=1 << 16)
        self.send(T_HELLO, struct.pack(">IHI", MAGIC, 1, 0))
        t, r = self.frame()
        if t != T_WELCOME:
            raise ValueError(f"expected WELCOME, got type 0x{t:02X}")
        self.version, self.caps, self.software = r.u16(), r.u32(), r.s()
        r.end()

    def send(self, mtype, body=b""):
        payload = bytes([mtype]) + body
        self.sock.sendall(struct.pack(">I", len(payload)) + payload)

    def exact(self, n):
        data = self.f.read(n)
        if len(data) != n:
            raise EOFError(f"connection closed after {len(data)} of {n} bytes")
        return data

    def frame(self):
        (length,) = struct.unpack(">I", self.exact(4))
        if not 1 <= length <= MAX_FRAME:
            raise ValueError(f"frame length {length} out of range")
        payload = self.exact(length)
        r = Reader(payload[1:])
        if payload[0] == T_ERROR:
            code, flags, msg = r.u16(), r.u8(), r.s()
            raise ServerError(code, bool(flags & 1), msg)
        return payload[0], r

    def list(self, path="", recursive=False):
        self.send(T_LIST, _s(path) + bytes([1 if recursive else 0]))
        entries = []
        while True:
            t, r = self.frame()
            assert t == T_LIST_CHUNK, t
            flags, count = r.u8(), r.u16()
            entries += [r.entry() for _ in range(count)]
            r.end()
            if flags & 1:
                return entries

    def hash(self, name):
        self.send(T_HASH, _s(name))
        t, r = self.frame()
        assert t == T_HASH_RESULT, t
        size, mtime, digest = r.u64(), r.i64(), r.take(32)
        r.end()
        return size, mtime, digest.hex()

    def get(self, name, sink, offset=0, length=-1):
        """Streams the file into sink (a binary file or None to discard); returns bytes."""
        self.send(T_GET, _s(name) + struct.pack(">Qq", offset, length))
        t, r = self.frame()
        assert t == T_GET_HEADER, t
        size, off, n, mtime = r.u64(), r.u64(), r.u64(), r.i64()
        r.end()
        left = n
        while left:
            chunk = self.f.read(min(left, 1 << 20))
            if not chunk:
                raise EOFError(f"body cut after {n - left} of {n} bytes")
            if sink is not None:
                sink.write(chunk)
            left -= len(chunk)
        return n

    def close(self):
        self.f.close()
        self.sock.close()


def main(argv):
    host, port, cmd, *rest = argv
    c = Connection(host, int(port))
    try:
        if cmd == "get":
            out = open(rest[1], "wb") if len(rest) > 1 else sys.stdout.buffer
            print(c.get(rest[0], out), "bytes", file=sys.stderr)
        elif cmd == "list":
            for e in c.list(rest[0] if rest else "", recursive=True):
                print(e["kind"], e["size"], e["mtime"], e["name"])
        elif cmd == "hash":
            print(c.hash(rest[0])[2])
        else:
            raise SystemExit(f"unknown command {cmd}")
    finally:
        c.close()


if __name__ == "__main__":
    main(sys.argv[1:])
