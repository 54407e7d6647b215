"""JupyterLab serves the collection: it lists the notebooks and runs one in a kernel it started, and a
user in Chromium runs notebooks 02 and 06 and drives their pickers (Playwright)."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import BUILD, SEEDS

from tools.site_build import NOTEBOOKS, ROOT, inject_parameters, notebook_paths

EXAMPLE = ROOT / "corpora" / "whitehouse_diplomacy"
# JupyterLab settings for a driven browser: every cell in the page (no windowing), no news pop-up
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    base: str
    token: str
    runtime: Path
    pid: int

    def api(self, path, method="GET", body=None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=json.dumps(body).encode() if body is not None else None,
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")


@contextmanager
def jupyterlab(state: Path, **env_extra: str):
    """A JupyterLab server on a free port of 127.0.0.1, its config and runtime under `state`; stopped by
    SIGTERM on exit, which it must obey within 30 s."""
    env = dict(os.environ, **env_extra)
    for name in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
    ):
        env[name] = str(state / name.lower())
        (state / name.lower()).mkdir(parents=True, exist_ok=True)
    env["MPLCONFIGDIR"] = str(state / "mplconfigdir")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(state / "lab-settings")
    for plugin, settings in LAB_SETTINGS.items():
        path = state / "lab-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log_path = state / "jupyterlab.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    lab = Lab(f"http://127.0.0.1:{port}", token, state / "jupyter_runtime_dir", server.pid)
    try:
        for _ in range(120):
            try:
                lab.api("/api/status")
                break
            except OSError:
                assert server.poll() is None, log_path.read_text()
                time.sleep(0.5)
        yield lab
    finally:
        os.kill(server.pid, signal.SIGTERM)
        killed = False
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            killed = True
            server.kill()
            server.wait()
        log.close()
    assert not killed, "the server did not stop on SIGTERM within 30 s"
    assert server.returncode in (0, -signal.SIGTERM), server.returncode


def test_jupyterlab_lists_and_runs_the_notebooks(tmp_path):
    from jupyter_client import BlockingKernelClient

    with jupyterlab(BUILD / "jupyterlab-test") as lab:
        listed = {item["name"] for item in lab.api("/api/contents/notebooks")["content"]}
        assert {p.name for p in notebook_paths()} <= listed

        path = notebook_paths()[1]
        session = lab.api(
            "/api/sessions",
            "POST",
            {"path": f"notebooks/{path.name}", "type": "notebook", "kernel": {"name": "python3"}},
        )
        kernel_id = session["kernel"]["id"]
        client = BlockingKernelClient()
        client.load_connection_file(str(lab.runtime / f"kernel-{kernel_id}.json"))
        client.start_channels()
        client.wait_for_ready(timeout=60)
        for cell in nbformat.read(NOTEBOOKS / path.name, as_version=4).cells:
            if cell.cell_type == "code":
                reply = client.execute_interactive(cell.source, timeout=120, output_hook=lambda msg: None)
                assert reply["content"]["status"] == "ok", (cell.source, reply["content"])
        client.stop_channels()
        lab.api(f"/api/sessions/{session['id']}", "DELETE")

        server_files = list(lab.runtime.glob("jpserver-*.json"))
        pids = {json.loads(f.read_text())["pid"] for f in server_files}
        assert lab.pid in pids, "the server's own runtime file names its process id"


# ---------------------------------------------------------------- a user in Chromium (Playwright)
FRONT = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front (others stay in the DOM)
DRIVEN = ("02_term_frequencies.ipynb", "06_corpus_over_time.ipynb")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab for the driven tests, with an empty store folder: the first notebook on a corpus
    analyses it (and shows its progress), the next reads the store."""
    state = tmp_path_factory.mktemp("lab")
    with jupyterlab(state, HELPERS_STORE_DIR=str(state / "stores")) as server:
        yield server


@pytest.fixture(scope="module")
def page(lab):
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser.new_page(viewport={"width": 1400, "height": 1000})
        browser.close()


def notebooks_on(corpus: Path) -> str:
    """Copies of 02 and 06 reading `corpus` (the build's injected parameter), under build/; their path
    in JupyterLab (relative to the repository)."""
    folder = BUILD / "lab-driven" / corpus.name
    folder.mkdir(parents=True, exist_ok=True)
    for name in DRIVEN:
        nb = inject_parameters(nbformat.read(NOTEBOOKS / name, as_version=4), corpus)
        nbformat.write(nb, folder / name)
    return folder.relative_to(ROOT).as_posix()


# some cell is queued or has run
STARTED = """front => [...document.querySelectorAll(front + ' .jp-CodeCell .jp-InputPrompt')]
    .some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""


def run_all(page, lab, path: str) -> None:
    """Open a notebook, wait for its kernel, Run > Run All Cells, wait until no cell is queued and the
    kernel is idle: every code cell ran and none shows a traceback."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{lab.base}/lab/tree/{path}?token={lab.token}&reset")
    page.wait_for_selector(f"{FRONT} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=120_000)  # the kernel connected
    for _ in range(3):  # a Run All clicked while the session is still being made runs nothing: again
        page.click("li.lm-MenuBar-item:has-text('Run')")
        page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
        try:
            page.wait_for_function(STARTED, arg=FRONT, timeout=30_000, polling=250)
            break
        except PlaywrightTimeout:
            continue
    else:
        raise AssertionError(f"{path}: Run All Cells ran no cell, three times")
    page.wait_for_function(
        """front => {
            const prompts = [...document.querySelectorAll(front + ' .jp-CodeCell .jp-InputPrompt')]
                .map(e => e.textContent.trim()).filter(Boolean);
            const idle = !document.querySelector(
                front + ' .jp-Notebook-ExecutionIndicator:not([data-status=idle])');
            const failed = document.querySelector(
                front + " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']");
            return idle && !prompts.some(p => p.includes('*'))
                && (failed || prompts.every(p => /\\[\\d+\\]/.test(p)));
        }""",
        arg=FRONT,
        timeout=900_000,
        polling=500,
    )
    prompts = page.locator(f"{FRONT} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
    errors = page.locator(f"{FRONT} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [e for e in errors.all_inner_texts() if "Traceback" in e or "Error" in e]
    assert not tracebacks, f"{path}: {tracebacks[0][:2000]}"
    assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts if p.strip()), f"{path}: {prompts}"


def the_picker(page):
    """The one picker of the notebook in front: its controls and the one view under them."""
    pickers = page.locator(f"{FRONT} .widget-vbox:has(.widget-output)")
    assert pickers.count() == 1, "one picker, one view"
    view = pickers.locator(".widget-output")
    view.evaluate(
        """view => { window.seen = [];
            new MutationObserver(() => window.seen.push(view.innerText))
                .observe(view, {childList: true, subtree: true, characterData: true}); }"""
    )
    return pickers, view


# an input's width, and the width the browser gives a copy of it left to size itself (its whole content)
WIDTH_NEEDED = """e => { const copy = e.cloneNode();
    copy.style.width = 'auto'; copy.style.position = 'absolute';
    document.body.appendChild(copy); const needs = copy.getBoundingClientRect().width; copy.remove();
    return [e.getBoundingClientRect().width, needs]; }"""


def options_of(box) -> list[str]:
    return box.evaluate(
        "input => [...document.getElementById(input.getAttribute('list')).options].map(o => o.value)"
    )


def type_into(page, box, text: str) -> list[str]:
    """Type as a user does (60 ms a key); what the view showed meanwhile."""
    page.evaluate("() => { window.seen = []; }")
    box.fill("")
    box.press_sequentially(text, delay=60)
    return page.evaluate("() => window.seen")


def wait_for(page, check, what: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, f"the view never showed {what}"
        page.wait_for_timeout(250)


@pytest.mark.parametrize("corpus", [SEEDS, EXAMPLE], ids=["seeds", "example"])
def test_a_user_runs_02_and_06_and_drives_their_pickers(lab, page, corpus):
    from playwright.sync_api import expect

    import helpers
    from helpers.store import BATCH_SIZE
    from helpers.trends import dated

    folder = notebooks_on(corpus)
    docs = helpers.load_corpus(corpus)

    # 02: Run All (the first notebook on this corpus analyses it: a progress bar when it takes batches)
    run_all(page, lab, f"{folder}/02_term_frequencies.ipynb")
    if len(docs) > BATCH_SIZE:
        assert page.locator(f"{FRONT} .widget-hprogress").count() >= 1, "no progress bar while analysing"
    picker, view = the_picker(page)
    term = picker.locator(".widget-text input")
    assert term.input_value() == "cooperation"
    expect(view.locator("mark").first).to_have_text(re.compile("^cooperation$", re.I))
    chosen = next(o for o in options_of(term) if o != "cooperation")
    seen = type_into(page, term, chosen)
    assert not any("No such" in s for s in seen), f"redrawn while typing: {seen}"
    expect(view.locator("mark").first).to_have_text(
        re.compile(f"^{re.escape(chosen)}$", re.I), timeout=30_000
    )
    assert view.locator("img").count() == 1  # the dispersion chart
    type_into(page, term, "zeppelinx")
    expect(view).to_contain_text("No such term: 'zeppelinx'", timeout=30_000)
    assert view.locator("img").count() == 0

    # 06: Run All, then an actor, a date range and a name that is no actor
    run_all(page, lab, f"{folder}/06_corpus_over_time.ipynb")
    picker, view = the_picker(page)
    item, since, until = (
        picker.locator(".widget-text input"),
        *picker.locator(".widget-datepicker input").all(),
    )
    days = dated(docs)["date"].dt.strftime("%Y-%m-%d")
    assert (since.input_value(), until.input_value()) == (days.min(), days.max())
    picker.locator(".widget-hbox").first.screenshot(path=BUILD / "lab-driven" / f"06-{corpus.name}.png")
    for date in (since, until):  # each date whole on screen, its label too
        wide, needs = date.evaluate(WIDTH_NEEDED)
        assert wide >= needs, f"a date input {wide:.0f} px wide needs {needs:.0f} px: its date is cut"
    for label in picker.locator(".widget-datepicker label").all():
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), label.inner_text()
    names = options_of(item)
    assert item.input_value() in names
    chosen = "Russia" if "Russia" in names else names[-1]
    seen = type_into(page, item, chosen)
    assert not any("No such" in s for s in seen), f"redrawn while typing: {seen}"
    expect(view).to_contain_text(chosen, timeout=30_000)

    def listed_dates() -> list[str]:
        return view.locator("table tbody tr td:first-child").all_inner_texts()

    wait_for(page, lambda: listed_dates() and chosen in view.inner_text(), f"a reading list for {chosen}")
    middle = sorted(set(days))[len(set(days)) // 2]
    since.fill(middle)
    wait_for(page, lambda: listed_dates() and min(listed_dates()) >= middle, f"only documents from {middle}")
    type_into(page, item, "Unite")
    expect(view).to_contain_text("No such actor or term: 'Unite'", timeout=30_000)
