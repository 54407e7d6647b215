"""The built site in a real browser (Debian's Chromium, headless, driven by Playwright) from file://."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import BUILD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs Debian's chromium package"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def test_every_page_loads_cleanly_with_images_and_links(site, browser):
    shots = BUILD / "screenshots"
    shutil.rmtree(shots, ignore_errors=True)  # only this run's screenshots count below
    shots.mkdir(parents=True)
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 2
    problems = []
    for page_path in pages:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors = []
        page.on("console", lambda m, e=errors: e.append(m) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(exc))
        page.goto(page_path.as_uri(), wait_until="load")
        own = [
            e for e in errors if not hasattr(e, "location") or e.location.get("url", "").startswith("file:")
        ]
        if own:
            problems.append(f"{page_path.name}: console errors {[str(getattr(e, 'text', e)) for e in own]}")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt || ''])"
        )
        if page_path.name != "index.html":
            if not images:
                problems.append(f"{page_path.name}: no images")
            problems += [f"{page_path.name}: image does not decode" for ok, _ in images if not ok]
            problems += [f"{page_path.name}: image without alt text" for _, alt in images if not alt.strip()]
        for href in page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
            url = urlparse(href)
            if url.scheme != "file":
                continue
            target = Path(unquote(url.path))
            if not target.exists():
                problems.append(f"{page_path.name}: broken link {href}")
            elif url.fragment and target == page_path:
                # as browsers do: the fragment as written, then percent-decoded
                found = "ids => ids.some(id => !!document.getElementById(id))"
                if not page.evaluate(found, [url.fragment, unquote(url.fragment)]):
                    problems.append(f"{page_path.name}: no anchor #{url.fragment}")
        page.screenshot(path=str(shots / f"{page_path.stem}.png"), full_page=True)
        page.close()
    assert problems == []
    assert sorted(p.stem for p in shots.glob("*.png")) == sorted(p.stem for p in pages)


def test_a_reader_can_walk_the_collection_by_links_alone(site, browser):
    """From the index, follow "next" links until the last notebook."""
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.locator("table a").first.click()
    seen = [Path(urlparse(page.url).path).name]
    while page.locator("a", has_text="next:").count():
        page.locator("a", has_text="next:").first.click()
        seen.append(Path(urlparse(page.url).path).name)
        assert len(seen) < 50
    page.locator("a", has_text="All notebooks (index)").first.click()  # and back to the front page
    seen.append(Path(urlparse(page.url).path).name)
    page.close()
    assert seen == [*sorted(p.name for p in site.glob("[0-9][0-9]_*.html")), "index.html"]
