#!/usr/bin/env python3
"""What a reader downloads to search: bytes and time from opening the home page to the first result.

`python benchmarks/search_download.py SITE_DIR [--query Q ...] [--json]` serves a built site on 127.0.0.1 (a free
port), opens its home page in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser), waits until
the page has loaded, presses "/" and types the query into the header's search box with real key presses, and waits
for the first result item. It counts every response the browser received from opening the page to that result
(the page, its CSS, scripts and images, then Pagefind's script, web worker, WebAssembly, entry and metadata files,
index chunks and the fragments of the results shown), body and headers as received, and the time to the first result:
from the page's opening, and from the query's last key press. Each query runs in a fresh browser context (a cold
cache). The server sends files as they are (no compression): Pagefind's files are compressed already; a host that
compresses HTML, CSS and JS sends less.

    from benchmarks.search_download import measure
    measure(Path("site"), "Hebei")  # {'query': 'Hebei', 'bytes': ..., 'requests': ..., 'first_result_ms': ..., ...}
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
QUERIES = ["Hebei", "河北", "Beijing", "Tianjin companies"]
TIMEOUT_MS = 60_000
_HAN = re.compile(r"([\u3400-\u9fff\uf900-\uff60]+)")

# The clock for the last key: its keydown (or the input of a Han commit, which has none).
_ARM_JS = """() => {
  const probe = window.__probe = {keydown: null, firstResult: null};
  const list = document.querySelector('.md-search-result__list');
  window.addEventListener('keydown', () => { probe.keydown = performance.now(); }, {capture: true});
  window.addEventListener('input', () => { probe.keydown = performance.now(); }, {capture: true});  // a Han commit
}"""

# The results of `query` are in the list: the time they were (the box marks the query its results answer).
_SHOWN_JS = """query => {
  const out = document.querySelector('.md-search-result');
  const shown = out && !out.hasAttribute('aria-busy') && out.getAttribute('data-query') === query
    && out.querySelector('.md-search-result__item');
  if (shown && window.__probe.firstResult === null) window.__probe.firstResult = performance.now();
  return !!shown;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser drops connections when a context closes mid-transfer


@contextmanager
def serving(site_dir: Path):
    """The site on 127.0.0.1 and a free port, from a thread: yields its base URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _type(page, text: str) -> None:
    """Key presses; Han characters (not on a keyboard) the way an input method commits them."""
    for i, part in enumerate(_HAN.split(text)):
        if part:
            page.keyboard.insert_text(part) if i % 2 else page.keyboard.type(part)


def _measure_in(browser, base: str, query: str) -> dict:
    context = browser.new_context()
    responses: list[dict] = []
    lock = threading.Lock()

    def finished(request) -> None:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - a request the browser gave up on has no sizes
            return
        with lock:
            responses.append({"url": request.url, "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"]})

    context.on("requestfinished", finished)  # the context's: the search web worker's requests too
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(base, wait_until="load")
        page.evaluate(_ARM_JS)
        page.keyboard.press("/")
        _type(page, query)
        page.wait_for_function(_SHOWN_JS, arg=query, timeout=TIMEOUT_MS, polling="raf")
        total_s = time.perf_counter() - started
        probe = page.evaluate("() => window.__probe")
        first = page.evaluate("() => { const a = document.querySelector('.md-search-result__item a'); return a && a.href; }")
        page.wait_for_timeout(50)  # the last response's requestfinished event
    finally:
        with lock:
            got = list(responses)
        context.close()
    foreign = [r["url"] for r in got if urlsplit(r["url"]).hostname != "127.0.0.1"]
    search = [r for r in got if "/pagefind/" in r["url"]]
    return {
        "query": query,
        "bytes": sum(r["bytes"] for r in got),
        "requests": len(got),
        "search_bytes": sum(r["bytes"] for r in search),
        "search_requests": len(search),
        "first_result_ms": probe["firstResult"] - probe["keydown"],
        "open_to_result_s": total_s,
        "first_result": first and urlsplit(first).path + (urlsplit(first).fragment and "#" + urlsplit(first).fragment),
        "foreign_requests": foreign,
    }


def measure(site_dir: Path, query: str = QUERIES[0], chromium: str = CHROMIUM) -> dict:
    """Bytes downloaded and time from opening site_dir's home page to the first result of query (one cold run)."""
    return measure_many(site_dir, [query], chromium)[0]


def measure_many(site_dir: Path, queries: list[str], chromium: str = CHROMIUM) -> list[dict]:
    from playwright.sync_api import sync_playwright
    if not (Path(site_dir) / "pagefind" / "pagefind-entry.json").is_file():
        raise FileNotFoundError(f"{site_dir} has no Pagefind index (pagefind/pagefind-entry.json): build the site first")
    with serving(Path(site_dir)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            return [_measure_in(browser, base, q) for q in queries]
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_dir", type=Path, help="a built site (with pagefind/)")
    ap.add_argument("--query", action="append", help=f"a query (repeatable; default: {', '.join(QUERIES)})")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    results = measure_many(args.site_dir, args.query or QUERIES)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print(f"{'query':<20} {'downloaded':>11} {'requests':>8} {'of it search':>13} {'last key → result':>18} "
          f"{'open → result':>14}  first result")
    for r in results:
        print(f"{r['query']:<20} {r['bytes'] / 2**20:>8.2f} MB {r['requests']:>8} {r['search_bytes'] / 2**20:>10.2f} MB "
              f"{r['first_result_ms']:>15.0f} ms {r['open_to_result_s']:>12.2f} s  {r['first_result']}")
        if r["foreign_requests"]:
            print(f"  requests to other hosts: {r['foreign_requests']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
