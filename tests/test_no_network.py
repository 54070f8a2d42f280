"""Checking pages never touches the network, whatever they reference: remote stylesheets,
scripts, images, frames, ``<base>``/refresh, DOCTYPE system identifiers, external entities
(XXE), parameter entities and XInclude.

Proof, at both levels where a fetch could come from:

* C level (libxml2): every reference points at a TCP server this test runs on 127.0.0.1; the
  server must have accepted no connection after the CLI checked the pages;
* Python level: the check runs under an audit hook that records every ``socket.*`` and
  ``urllib.*`` event (connect, getaddrinfo, Request...); there must be none.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest


class CountingServer:
    """A TCP listener on loopback that counts accepted connections (and answers nothing)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def pages(port: int) -> dict[str, str]:
    u = f"http://127.0.0.1:{port}"
    return {
        "resources.html": f"""<!DOCTYPE html>
<html lang="en"><head><title>remote resources</title>
<base href="{u}/base/">
<meta http-equiv="refresh" content="0; url={u}/refresh">
<link rel="stylesheet" href="{u}/site.css">
<link rel="stylesheet" href="//127.0.0.1:{port}/protocol-relative.css">
<link rel="preload" href="{u}/font.woff2" as="font">
<style>@import url("{u}/import.css"); .x {{ background: url({u}/bg.png); }}</style>
<script src="{u}/app.js"></script>
</head><body><main><h1>Remote</h1>
<img src="{u}/a.png" alt="a" srcset="{u}/b.png 2x">
<iframe src="{u}/frame.html" title="frame"></iframe>
<object data="{u}/o.swf">obj</object><embed src="{u}/e.swf">
<svg><use href="{u}/sprite.svg#i"></use><image href="{u}/i.png"/></svg>
<a href="{u}/page">link</a><a href="#main">skip</a>
<p style="background:url({u}/inline.png)">x</p>
</main></body></html>
""",
        "doctype.html": f"""<!DOCTYPE html SYSTEM "{u}/html.dtd">
<html lang="en"><head><title>dtd</title></head><body><main><h1>DTD</h1><p>&ent;</p></main></body></html>
""",
        "entities.html": f"""<?xml version="1.0"?>
<!DOCTYPE html [
  <!ENTITY % remote SYSTEM "{u}/param.dtd"> %remote;
  <!ENTITY ext SYSTEM "{u}/entity.txt">
  <!ENTITY local SYSTEM "file:///etc/passwd">
]>
<html lang="en"><head><title>xxe</title></head><body><main><h1>XXE</h1><p>&ext; &local;</p></main></body></html>
""",
        "entities.xhtml": f"""<?xml version="1.0"?>
<!DOCTYPE html [
  <!ENTITY % remote SYSTEM "{u}/param.dtd"> %remote;
  <!ENTITY ext SYSTEM "{u}/entity.txt">
]>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xi="http://www.w3.org/2001/XInclude" lang="en">
<head><title>xinclude</title></head><body><main><h1>XInclude</h1><p>&ext;</p>
<xi:include href="{u}/include.xml" parse="text"/></main></body></html>
""",
    }


AUDIT_RUNNER = r"""
import sys
events = []
def hook(event, args):
    if event.startswith(("socket.", "urllib.", "http.")) or event in ("ftplib.connect", "smtplib.connect"):
        events.append(event)
sys.addaudithook(hook)
from a11ycheck.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
finally:
    sys.stderr.write("AUDIT " + ",".join(sorted(set(events))) + "\n")
"""


@pytest.fixture()
def server():
    srv = CountingServer()
    yield srv
    srv.close()


def test_checking_pages_opens_no_connection(server: CountingServer, tmp_path: Path) -> None:
    for name, text in pages(server.port).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.iterdir())
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-c", AUDIT_RUNNER, "check", "--isolated", "--format", "json", "-o", str(out),
         "--jobs", "1", *files],
        capture_output=True, timeout=120,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    audit = [line for line in stderr.splitlines() if line.startswith("AUDIT ")]
    assert audit == ["AUDIT "], f"Python-level network activity: {audit}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["files"] == len(files), report["errors"]
    assert server.accepted == 0, f"{server.accepted} connection(s) reached the loopback server"


def test_the_loopback_server_would_notice_a_fetch(server: CountingServer) -> None:
    """The control: a real fetch of the same URL is counted (so the zero above means something)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
    for _ in range(50):
        if server.accepted:
            break
        threading.Event().wait(0.05)
    assert server.accepted == 1


def test_in_process_check_does_not_resolve_or_connect(server: CountingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API path, with socket creation and name resolution made to fail loudly."""
    from a11ycheck.api import check_bytes, make_runs, select_rules
    from a11ycheck.registry import load_rules

    runs = make_runs(select_rules(load_rules()))
    calls: list[str] = []

    def refuse(*args, **kwargs):
        calls.append(repr(args[:2]))
        raise OSError("network access during a check")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    for name, text in pages(server.port).items():
        outcome = check_bytes(text.encode("utf-8"), name, runs)
        assert outcome.result is not None, (name, outcome.errors)
        assert not [e for e in outcome.errors if e.kind == "internal-error"], outcome.errors
        assert "root:" not in json.dumps([f.snippet for f in outcome.result.findings])
    assert calls == []
    assert server.accepted == 0
