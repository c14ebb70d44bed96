"""The published archive in a real browser: headless Chromium loads the pages people use.

Debian's ``chromium`` (``make chromium`` installs it when missing) is driven from the
command line: ``--dump-dom`` gives the page after its scripts ran (the search page fills
itself in with JavaScript) and ``--screenshot`` saves what a person would see to
tests/output/. No browser is ever downloaded; without Chromium the tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

WIDTH, HEIGHT = 1280, 900


def chromium_executable() -> str:
    """Chromium from $CHROMIUM, /usr/bin/chromium or PATH; skip with the reason when absent."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("Chromium is not installed (/usr/bin/chromium missing): run `make chromium` "
                "or `apt-get install chromium` to run the browser tests")


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_executable()


def run_chromium(exe: str, url: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """One headless Chromium run with no network but the local server, no sync, no updates."""
    cmd = [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=5000", *args, url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=45)
    assert proc.returncode == 0, f"chromium failed on {url} ({proc.returncode}):\n{proc.stderr[-2000:]}"
    return proc


def visible_text(dom: str) -> str:
    soup = BeautifulSoup(dom, "lxml")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def load(chromium: str, server, path: str, name: str, output_dir: Path, tmp_path: Path) -> tuple[str, str]:
    """The page's DOM after scripts ran, its visible text, and a screenshot in tests/output/."""
    url = server.base + path
    dom = run_chromium(chromium, url, tmp_path / "profile", "--dump-dom").stdout
    shot = output_dir / f"browser-{name}.png"
    shot.unlink(missing_ok=True)
    run_chromium(chromium, url, tmp_path / "profile", f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 10_000, f"no useful screenshot of {url}"
    assert png_size(shot) == (WIDTH, HEIGHT)
    return dom, visible_text(dom)


def test_home_page(chromium, demo_server, output_dir, tmp_path):
    dom, text = load(chromium, demo_server, "/", "home", output_dir, tmp_path)
    for words in ("Council minutes archive", "For clerks", "For researchers", "For scrutiny members",
                  "Outstanding actions", "Figure history", "Decisions by meeting", "Search"):
        assert words in text, f"home page does not show {words!r}"
    soup = BeautifulSoup(dom, "lxml")
    form = soup.find("form", attrs={"action": "/-/search"})
    assert form is not None and form.find("input", attrs={"name": "q"}) is not None


def test_search_across_tables(chromium, demo_server, output_dir, tmp_path):
    dom, text = load(chromium, demo_server, "/-/search?q=burglary", "search", output_dir, tmp_path)
    found = {h.get_text(" ", strip=True).rsplit(":", 1)[-1].strip()
             for h in BeautifulSoup(dom, "lxml").find_all("h2") if " in minutes:" in h.get_text()}
    assert {"documents", "figures"} <= found, f"search for burglary showed results only in {found}"
    assert "burglary" in text.lower()
    assert "<script" not in "".join(str(td) for td in BeautifulSoup(dom, "lxml").find_all("td"))


def test_outstanding_actions_page(chromium, demo_server, output_dir, tmp_path):
    rows = demo_server.json("/minutes/outstanding_actions.json", _shape="array")
    assert rows, "no outstanding actions on the demo corpus"
    dom, text = load(chromium, demo_server, "/minutes/outstanding_actions", "outstanding-actions",
                     output_dir, tmp_path)
    assert "Outstanding actions" in text
    table = BeautifulSoup(dom, "lxml").find("table", class_="rows-and-columns")
    assert table is not None and len(table.find_all("tr")) - 1 == len(rows)
    for row in rows[:3]:
        for value in (row["owner"], row["task"]):
            if value:
                assert " ".join(value.split())[:40] in text, f"{value!r} not shown"
    links = [a["href"] for a in table.find_all("a")]
    assert any(h.startswith(("/minutes/documents/", "/minutes/pages/")) for h in links)
    assert any(h.startswith("/minutes/meetings/") for h in links)


HOSTILE = """Eastwick Parish Council
Minutes of the Parish Council meeting held on 7 April 2025

1. Correspondence
A letter quoting <script>alert(1)</script> and <img src=x onerror=alert(2)> was received and noted.
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from conftest import run_minutes, start_server, stop_server

    root = tmp_path_factory.mktemp("hostile-browser")
    (root / "docs").mkdir()
    (root / "docs" / "eastwick-2025-04-07-minutes.txt").write_text(HOSTILE, encoding="utf-8")
    run_minutes("ingest", str(root / "docs"), "--db", str(root / "minutes.db"), "--quiet", "--workers", "1")
    server = start_server(root / "minutes.db")
    yield server
    stop_server(server)


def test_search_results_show_document_markup_as_text(chromium, hostile_server, output_dir, tmp_path):
    """The search page builds its tables in JavaScript: markup in a document must stay text there too."""
    dom, text = load(chromium, hostile_server, "/-/search?q=letter", "search-escaping", output_dir, tmp_path)
    soup = BeautifulSoup(dom, "lxml")
    assert not [s for s in soup.find_all("script") if "alert(" in s.get_text()], "document text became a script"
    assert not soup.find_all("img", attrs={"onerror": True}), "document text became an element"
    assert "<script>alert(1)</script>" in text, "the document's text should be shown, as text"
