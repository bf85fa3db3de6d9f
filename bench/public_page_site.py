"""The pages bench/public_page_vs_static.py measures: HTTP to them on loopback, and
their static copies, each rendered anonymously in this process and saved under
STATIC_ROOT for WhiteNoise to serve, with the check that gunicorn serves both as saved.
"""

from __future__ import annotations

from pathlib import Path

import common

SLUG = "cis6200-spring-2026"
PAGES = {"home": f"/courses/{SLUG}/", "schedule": f"/courses/{SLUG}/schedule/"}
STATIC_DIR = "parity"


# --- HTTP on loopback ---------------------------------------------------------------------


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET over a new connection; the status, the headers (lower-case names) and the body."""
    return request(port, "GET", path, headers or {})


def request(
    port: int, method: str, path: str, headers: dict, body: bytes = b""
) -> tuple[int, dict, bytes]:
    return common.exchange(port, method, path, headers, body, timeout=30)


# --- the pages and their static copies ------------------------------------------------------


def render_pages(port: int) -> dict[str, bytes]:
    """The anonymous HTML of each page, rendered in this process for the host wrk will send."""
    from django.test import Client

    client = Client(HTTP_HOST=f"{common.HOST}:{port}")
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in this process")
        pages[name] = response.content
    return pages


def static_root() -> Path:
    from django.conf import settings

    return Path(settings.STATIC_ROOT)


def save_static(pages: dict[str, bytes]) -> dict[str, str]:
    """Write each page under STATIC_ROOT/parity/; return the URL path of each copy."""
    from django.conf import settings

    folder = static_root() / STATIC_DIR
    folder.mkdir(parents=True, exist_ok=True)
    urls = {}
    for name, content in pages.items():
        (folder / f"{name}.html").write_bytes(content)
        urls[name] = f"/{settings.STATIC_URL.strip('/')}/{STATIC_DIR}/{name}.html"
    return urls


def check_served(port: int, pages: dict[str, bytes], static_urls: dict[str, str]) -> dict:
    """Both the static copy and the Django page answer 200 with the saved bytes."""
    found = {}
    for name, content in pages.items():
        for kind, path in (("static", static_urls[name]), ("dynamic", PAGES[name])):
            status, headers, body = get(port, path)
            found[f"{name}_{kind}"] = {
                "path": path,
                "status": status,
                "content_type": headers.get("content-type", [""])[0],
                "bytes": len(body),
                "identical_to_saved": body == content,
            }
    return found
