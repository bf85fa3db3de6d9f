"""An instructor's edit in the admin for bench/public_page_vs_static.py: a browser's
cookie jar over HTTP on loopback that logs in and submits a change form as its Save
button would.
"""

from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser

import common
from public_page_site import request


class FormFields(HTMLParser):
    """What a browser would submit from the form with id `form_id`: its inputs (checked
    boxes only), selected options and textareas, without file inputs, buttons and the
    inline formsets' empty templates."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: list | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "option":
            if self._select is not None:
                self._option = [a.get("value"), "selected" in a, []]
                self._select[2].append(self._option)
            return
        name = a.get("name", "")
        if not name or "__prefix__" in name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = (name, "multiple" in a, [])
        elif tag == "textarea":
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            values = [(v if v is not None else "".join(t)) for v, sel, t in options if sel]
            if not values and not multiple and options:
                v, _, t = options[0]
                values = [v if v is not None else "".join(t)]
            self.fields.extend((name, v) for v in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


class AdminSession:
    """A browser's cookie jar for the admin, over HTTP on loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Origin": f"http://{common.HOST}:{self.port}", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, headers: dict) -> None:
        for line in headers.get("set-cookie", []):
            name, _, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str) -> tuple[int, dict, bytes]:
        status, headers, body = request(self.port, "GET", path, self._headers())
        self._keep_cookies(headers)
        return status, headers, body

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(fields).encode()
        content_type = {"Content-Type": "application/x-www-form-urlencoded"}
        status, headers, text = request(self.port, "POST", path, self._headers(content_type), body)
        self._keep_cookies(headers)
        return status, headers, text

    def login(self, username: str, password: str) -> None:
        status, _, body = self.get("/admin/login/?next=/admin/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise SystemExit(f"admin login page answered {status} without a CSRF token")
        status, headers, _ = self.post(
            "/admin/login/?next=/admin/",
            [
                ("csrfmiddlewaretoken", token.group(1).decode()),
                ("username", username),
                ("password", password),
                ("next", "/admin/"),
            ],
        )
        if status != 302 or headers.get("location", [""])[0] != "/admin/":
            raise SystemExit(f"admin login as {username} answered {status}, not a redirect")

    def change(self, model_path: str, pk: int, form_id: str, values: dict[str, str]) -> dict:
        """Open the change form, set `values`, save it as the Save button would."""
        path = f"/admin/{model_path}/{pk}/change/"
        status, _, body = self.get(path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(body.decode())
        fields = [(k, values.get(k, v)) for k, v in parser.fields] + [("_save", "Save")]
        status, headers, answer = self.post(path, fields)
        errors = re.findall(rb'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer, re.S)
        return {
            "status": status,
            "location": headers.get("location", [""])[0],
            "fields_posted": len(fields),
            "form_errors": [re.sub(rb"<[^>]+>", b" ", e).decode().strip() for e in errors][:5],
        }
