"""Which gunicorn worker answered, for bench/public_page_vs_static.py: the master's
workers and the owner of each loopback connection, read from /proc, so that one
request can be sent to every worker.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import common


def worker_pids(master: int) -> set[int]:
    """gunicorn's workers: the processes whose parent is the master."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if int(text.rsplit(")", 1)[1].split()[1]) == master:
            pids.add(int(stat.parent.name))
    return pids


def server_socket_inode(port: int, client_port: int) -> int | None:
    """The inode of the server's end of the loopback connection from `client_port`."""
    local = f"0100007F:{port:04X}"
    remote = f"0100007F:{client_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if cols[1] == local and cols[2] == remote and cols[9] != "0":
            return int(cols[9])
    return None


def socket_owner(inode: int, pids: set[int]) -> int | None:
    target = f"socket:[{inode}]"
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(fd) == target:
                        return pid
                except OSError:
                    continue
        except OSError:
            continue
    return None


def one_request_per_worker(port: int, master: int, path: str) -> list[dict]:
    """Send `path` to every gunicorn worker once: open a connection and send all but the
    end of the request head, so the worker that accepts it waits for the rest; once every
    worker holds one connection (owners read from /proc), finish the requests."""
    pids = worker_pids(master)
    held: list[tuple[socket.socket, int]] = []
    try:
        deadline = time.monotonic() + 10
        while len(held) < len(pids) and time.monotonic() < deadline:
            sock = socket.create_connection((common.HOST, port), timeout=10)
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {common.HOST}:{port}\r\n".encode())
            owner = None
            while owner is None and time.monotonic() < deadline:
                inode = server_socket_inode(port, sock.getsockname()[1])
                owner = socket_owner(inode, pids) if inode else None
                if owner is None:
                    time.sleep(0.005)
            if owner is None:
                sock.close()
                break
            held.append((sock, owner))
        answers = []
        for sock, owner in held:
            sock.sendall(b"Connection: close\r\n\r\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
            raw = b"".join(chunks)
            head, _, body = raw.partition(b"\r\n\r\n")
            answers.append({"pid": owner, "status": int(head.split()[1]), "body": body})
        return answers
    finally:
        for sock, _ in held:
            sock.close()
