"""JupyterLab serves the collection: lists the notebooks and runs one in a kernel it started."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
from conftest import BUILD

from tools.site_build import NOTEBOOKS, ROOT, notebook_paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_lists_and_runs_the_notebooks(tmp_path):
    from jupyter_client import BlockingKernelClient

    state = BUILD / "jupyterlab-test"
    env = dict(os.environ)
    for name in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
    ):
        env[name] = str(state / name.lower())
        (state / name.lower()).mkdir(parents=True, exist_ok=True)
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
    log = open(tmp_path / "jupyterlab.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def api(path, method="GET", body=None):
        request = urllib.request.Request(
            base + path,
            method=method,
            headers={"Authorization": f"token {token}"},
            data=json.dumps(body).encode() if body is not None else None,
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    try:
        for _ in range(120):
            try:
                api("/api/status")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "jupyterlab.log").read_text()
                time.sleep(0.5)
        listed = {item["name"] for item in api("/api/contents/notebooks")["content"]}
        assert {p.name for p in notebook_paths()} <= listed

        path = notebook_paths()[1]
        session = api(
            "/api/sessions",
            "POST",
            {"path": f"notebooks/{path.name}", "type": "notebook", "kernel": {"name": "python3"}},
        )
        kernel_id = session["kernel"]["id"]
        client = BlockingKernelClient()
        client.load_connection_file(str(state / "jupyter_runtime_dir" / f"kernel-{kernel_id}.json"))
        client.start_channels()
        client.wait_for_ready(timeout=60)
        for cell in nbformat.read(NOTEBOOKS / path.name, as_version=4).cells:
            if cell.cell_type == "code":
                reply = client.execute_interactive(cell.source, timeout=120, output_hook=lambda msg: None)
                assert reply["content"]["status"] == "ok", (cell.source, reply["content"])
        client.stop_channels()
        api(f"/api/sessions/{session['id']}", "DELETE")

        server_files = list((state / "jupyter_runtime_dir").glob("jpserver-*.json"))
        pids = {json.loads(f.read_text())["pid"] for f in server_files}
        assert server.pid in pids, "the server's own runtime file names its process id"
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
