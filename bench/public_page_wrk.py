"""The load in bench/public_page_vs_static.py: wrk runs on loopback, read through
wrk_report.lua, interleaved static and dynamic over several rounds, and their medians
and ratios per page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

import common
from public_page_site import PAGES

WARMUP_SECONDS = 2
WRK_TIMEOUT_SECONDS = 10
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


def syn_retransmits() -> int | None:
    """The kernel's count of TCP connection requests (SYNs) sent again, machine-wide
    (TcpExt TCPSynRetrans in /proc/net/netstat). A SYN that is not answered is sent
    again after a second, so each one shows as a request taking a second or more."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            row = dict(zip(names.split()[1:], values.split()[1:], strict=True))
            return int(row["TCPSynRetrans"]) if "TCPSynRetrans" in row else None
    return None


def run_wrk(url: str, threads: int, connections: int, seconds: int) -> dict:
    """One wrk run; what wrk_report.lua prints, with latencies in milliseconds."""
    syn_before = syn_retransmits()
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            # wrk gives up on a request after 2 s by default and counts it as a
            # socket error; a slow answer belongs in the latencies (max_ms).
            f"--timeout={WRK_TIMEOUT_SECONDS}s",
            "--latency",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    syn_after = syn_retransmits()
    line = next((x for x in out.splitlines() if x.startswith("WRK_REPORT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no report for {url}:\n{out}")
    raw = json.loads(line.removeprefix("WRK_REPORT "))
    requests = raw["requests"]
    return {
        "requests": requests,
        "requests_per_second": round(raw["requests_per_second"], 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "syn_retransmits": None if syn_before is None else syn_after - syn_before,
        "bytes_per_response": round(raw["bytes"] / requests) if requests else 0,
        "non_2xx": raw["errors_status"],
        "socket_errors": {
            kind: raw[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout")
        },
    }


def measure(port: int, static_urls: dict[str, str], args: argparse.Namespace) -> dict:
    """Interleaved rounds of static and dynamic for each page; medians and ratios."""
    base = f"http://{common.HOST}:{port}"
    targets = [
        (name, kind, base + (static_urls[name] if kind == "static" else PAGES[name]))
        for name in PAGES
        for kind in ("static", "dynamic")
    ]
    for _, _, url in targets:
        run_wrk(url, args.threads, args.connections, WARMUP_SECONDS)
    runs: dict[tuple[str, str], list[dict]] = {(name, kind): [] for name, kind, _ in targets}
    for _ in range(args.rounds):
        for name, kind, url in targets:
            runs[name, kind].append(run_wrk(url, args.threads, args.connections, args.seconds))

    result = {}
    for name in PAGES:
        sides = {kind: summarise(runs[name, kind]) for kind in ("static", "dynamic")}
        per_round = [
            round(d["requests_per_second"] / s["requests_per_second"], 3)
            for s, d in zip(runs[name, "static"], runs[name, "dynamic"], strict=True)
        ]
        result[name] = {
            **sides,
            "ratio_dynamic_to_static": round(
                sides["dynamic"]["requests_per_second"] / sides["static"]["requests_per_second"],
                3,
            ),
            "ratio_per_round": per_round,
            "p50_dynamic_over_static": round(
                sides["dynamic"]["p50_ms"] / sides["static"]["p50_ms"], 2
            ),
        }
    return result


def median(rounds: list[dict], key: str, digits: int) -> float:
    return round(statistics.median(r[key] for r in rounds), digits)


def summarise(rounds: list[dict]) -> dict:
    """Medians over the rounds, the error counts summed, and every round as measured."""
    return {
        "requests_per_second": median(rounds, "requests_per_second", 1),
        "p50_ms": median(rounds, "p50_ms", 2),
        "p95_ms": median(rounds, "p95_ms", 2),
        "p99_ms": median(rounds, "p99_ms", 2),
        "requests": sum(r["requests"] for r in rounds),
        "bytes_per_response": rounds[0]["bytes_per_response"],
        "non_2xx": sum(r["non_2xx"] for r in rounds),
        "socket_errors": sum(sum(r["socket_errors"].values()) for r in rounds),
        "socket_errors_by_kind": {
            kind: sum(r["socket_errors"][kind] for r in rounds)
            for kind in ("connect", "read", "write", "timeout")
        },
        "rounds": [
            {
                k: r[k]
                for k in (
                    "requests_per_second",
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "max_ms",
                    "syn_retransmits",
                )
            }
            for r in rounds
        ],
    }
