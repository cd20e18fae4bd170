"""report.html in a real browser: plotly draws every figure, no console errors, no requests.

Needs headless Chromium (``apt-get install chromium``); skipped with a reason when absent.
Three runs of the browser, a few seconds each:
  1. the report as published, ``--dump-dom``: every figure rendered to SVG, no console errors
     (script errors or Content-Security-Policy violations), hostile text stayed text;
  2. the report with its CSP removed, behind a recording proxy: no request at all leaves the
     page (the CSP would block them; this proves there are none to block);
  3. a screenshot, which must be a real picture.
"""

from __future__ import annotations

import re
import shutil
import socketserver
import struct
import subprocess
import threading
from pathlib import Path

import pytest

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium)"
)
# Chromium's own service calls, made even with background networking off (clock check,
# component updates, sign-in). Exact hosts only: a page fetching anything else still fails.
BROWSER_HOSTS = {"clients2.google.com", "update.googleapis.com", "accounts.google.com",
                 "redirector.gvt1.com", "optimizationguide-pa.googleapis.com",
                 "content-autofill.googleapis.com", "safebrowsingohttpgateway.googleapis.com"}
# Console lines that mean something broke (Chromium logs every console message at INFO).
BAD_CONSOLE = re.compile(r"Uncaught|Error|violates|Refused|Failed to load|not defined", re.I)


def chromium(args: list[str], profile: Path, timeout: int = 90) -> subprocess.CompletedProcess:
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--disable-default-apps",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--no-default-browser-check", "--no-pings",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=15000", *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def request_host(line: str) -> str:
    """The host of a proxied request line ('GET http://h/x HTTP/1.1', 'CONNECT h:443 ...')."""
    target = line.split(" ")[1] if " " in line else line
    target = re.sub(r"^[a-z]+://", "", target)
    return re.split(r"[/:]", target, maxsplit=1)[0]


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Recorder(socketserver.BaseRequestHandler):
    """A 'proxy' that records the first line of every request and answers nothing."""

    seen: list[str] = []

    def handle(self) -> None:
        data = self.request.recv(4096)
        if data:
            self.seen.append(data.split(b"\r\n", 1)[0].decode("latin-1"))


@pytest.fixture
def recording_proxy():
    _Recorder.seen = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Recorder)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], _Recorder.seen
    finally:
        server.shutdown()
        server.server_close()


def test_figures_render_without_console_errors(published, tmp_path, hostile):
    html = (published / "report.html").read_text()
    figures = re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', html)
    assert len(figures) == 6
    done = chromium(["--dump-dom", (published / "report.html").as_uri()], tmp_path / "p")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    errors = [line for line in console_lines(done.stderr) if BAD_CONSOLE.search(line)]
    assert errors == [], "\n".join(errors)
    # plotly marks a drawn div with js-plotly-plot and puts its SVG inside
    assert dom.count('class="main-svg"') >= len(figures)
    for div_id in figures:
        assert re.search(rf'id="{re.escape(div_id)}" class="[^"]*js-plotly-plot', dom), div_id
    assert "<img src=\"x\"" not in dom and "<script>alert" not in dom
    assert "&lt;script&gt;alert(\"pwned\")&lt;/script&gt;" in dom  # shown as text


def test_no_network_requests(published, tmp_path, recording_proxy):
    port, seen = recording_proxy
    html = (published / "report.html").read_text()
    page = tmp_path / "report-no-csp.html"
    # without the CSP every request the page tried would reach the recording proxy
    page.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html))
    done = chromium(
        [f"--proxy-server=http://127.0.0.1:{port}", "--proxy-bypass-list=<-loopback>",
         "--dump-dom", page.as_uri()],
        tmp_path / "p",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "js-plotly-plot" in done.stdout
    page_requests = [line for line in seen if request_host(line) not in BROWSER_HOSTS]
    assert page_requests == [], f"the page made requests: {page_requests}"


def test_screenshot(published, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium([f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars",
                     (published / "report.html").as_uri()], tmp_path / "p")
    assert shot.exists(), done.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1280, 2400)
    # a blank or error page compresses to a few KB; the report with its charts does not
    assert len(png) > 60_000
    keep = Path(__file__).parent / ".artifacts"
    if keep.is_dir():  # let a developer look at it: mkdir tests/publish/.artifacts
        shutil.copyfile(shot, keep / "report.png")
