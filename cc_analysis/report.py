"""Quarterly reports: run the notebooks with papermill into ``reports/<quarter>/``.

Owns one quarter's run end to end: executing each notebook in a child process with a wall-clock
timeout (a hung kernel cannot stall the schedule), turning each executed notebook into an HTML page
without code (images embedded, no external scripts), writing ``manifest.json`` (parameters, seed,
package versions, git commit, input data hashes, per-notebook status and duration) and
``reports/index.html``. A run is built in a temporary folder and moved into place only when every
notebook succeeded, so a failed or interrupted run never destroys the last good report; a failed
run is kept beside it as ``<quarter>.failed-<time>/`` with the executed copies showing the error.
"""

from __future__ import annotations

import html
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from tqdm.auto import tqdm

from .config import Workspace, load_workspace
from .files import file_hashes
from .outputs import RunOutputs
from .periods import Quarter, latest_complete_quarter
from .privacy import FINGERPRINT_TABLE, Fingerprints, PiiPolicy, PublicationCheck, findings_message
from .store import Store
from .summary import HEADLINE_BY_KEY, INDEX_METRICS, format_metric

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
NOTEBOOKS = (
    "01_interview_synthesis",
    "02_feedback_topics",
    "03_churn_drivers",
    "04_quarterly_insights",
)
DEFAULT_TIMEOUT_S = 900
KEY_PACKAGES = (
    "cc-analysis",
    "pandas",
    "numpy",
    "duckdb",
    "matplotlib",
    "papermill",
    "nbconvert",
    "scipy",
    "bertopic",
    "sentence-transformers",
    "torch",
    "lifelines",
    "scikit-learn",
)


@dataclass
class NotebookRun:
    name: str
    status: str  # ok, failed, timeout
    duration_s: float
    error: str | None = None


@dataclass
class RunResult:
    quarter: str
    report_dir: Path
    notebooks: list[NotebookRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(nb.status == "ok" for nb in self.notebooks)

    @property
    def failed(self) -> list[str]:
        return [nb.name for nb in self.notebooks if nb.status != "ok"]


def default_quarter(ws: Workspace) -> Quarter:
    """The latest complete quarter in the workspace's data."""
    return latest_complete_quarter(Store(ws.store_path).data_end(), ws.fy_start_month)


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def git_commit(repo: Path = PROJECT_ROOT) -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}
    except (subprocess.SubprocessError, OSError):
        return {"commit": None, "dirty": None}


def _execute(
    notebook: Path, out: Path, params: dict[str, Any], timeout_s: float, log_path: Path
) -> NotebookRun:
    """Run one notebook through papermill in its own process group.

    papermill stops a cell that runs past ``timeout_s`` and records the error in the executed
    copy; the process itself is killed if it outlives that by a minute (a hung kernel start or
    shutdown), so one notebook can never stall a scheduled run.
    """
    cmd = [
        sys.executable,
        "-m",
        "papermill",
        str(notebook),
        str(out),
        "--kernel",
        "python3",
        "--language",
        "python",
        "--cwd",
        str(notebook.parent),
        "--request-save-on-cell-execute",
        "--no-progress-bar",
        "--execution-timeout",
        str(int(timeout_s)),
    ]
    for key, value in params.items():
        # -r passes strings verbatim; -p lets papermill keep ints as ints
        cmd += ["-p", key, str(value)] if isinstance(value, int) else ["-r", key, str(value)]
    # the kernel keeps its inline backend (MPLBACKEND=Agg would hide every chart)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONHASHSEED"] = str(params.get("seed", 0))
    started = time.monotonic()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        try:
            code = proc.wait(timeout=timeout_s + 60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return NotebookRun(
                notebook.stem,
                "timeout",
                time.monotonic() - started,
                f"stopped after the {timeout_s:.0f} s notebook timeout",
            )
        except BaseException:  # interrupted: take the kernel down with us
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    duration = time.monotonic() - started
    if code == 0:
        return NotebookRun(notebook.stem, "ok", duration)
    if "CellTimeoutError" in log_path.read_text(errors="replace"):
        return NotebookRun(
            notebook.stem,
            "timeout",
            duration,
            f"a cell ran past the {timeout_s:.0f} s timeout and was interrupted",
        )
    return NotebookRun(notebook.stem, "failed", duration, _error_summary(out, log_path))


def _error_summary(executed: Path, log_path: Path) -> str:
    try:
        nb = nbformat.read(executed, as_version=4)
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error":
                    return f"{o.get('ename')}: {o.get('evalue')}"
    except Exception:  # the executed copy may not exist if the kernel never started
        pass
    tail = log_path.read_text(errors="replace").strip().splitlines()[-3:]
    return " | ".join(tail) or "papermill failed"


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]+src=\"https?://[^\"]+\"[^>]*>\s*</script>", re.I)


def notebook_to_html(executed: Path, html_path: Path, title: str) -> Path:
    """HTML for readers: no code, no warnings, images embedded, no scripts from the web."""
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html_path.write_text(_EXTERNAL_SCRIPT.sub("", body), encoding="utf-8")
    return html_path


def run_quarter(
    workspace: Workspace | str | Path,
    quarter: str | Quarter | None = None,
    *,
    notebooks: tuple[str, ...] = NOTEBOOKS,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    reports_dir: Path | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    seed: int | None = None,
    progress: bool = True,
) -> RunResult:
    """Execute the notebooks for one quarter and publish ``reports/<quarter>/`` atomically."""
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    q = (
        Quarter.parse(quarter, ws.fy_start_month)
        if isinstance(quarter, str)
        else quarter or default_quarter(ws)
    )
    reports_dir = Path(reports_dir or ws.reports_dir)
    seed = ws.seed if seed is None else seed
    final = reports_dir / q.folder
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    build = reports_dir / f".building-{q.folder}-{stamp}-{os.getpid()}"
    (build / "logs").mkdir(parents=True)
    params = {"quarter": q.label, "workspace": str(ws.root), "output_dir": str(build), "seed": seed}
    started = datetime.now(UTC)
    result = RunResult(q.label, final)
    store = Store(ws.store_path)
    check = PublicationCheck(
        Fingerprints.from_frame(store.frames(FINGERPRINT_TABLE).get(FINGERPRINT_TABLE)),
        PiiPolicy.from_dict(ws.pii).kinds)
    try:
        ingest = store.latest_ingest()
        for name in tqdm(notebooks, desc=f"report {q.label}", disable=not progress):
            src = notebooks_dir / f"{name}.ipynb"
            executed = build / f"{name}.ipynb"
            before = _published_files(build)
            run = _execute(src, executed, params, timeout_s, build / "logs" / f"{name}.log")
            result.notebooks.append(run)
            if executed.is_file():
                notebook_to_html(executed, build / f"{name}.html", f"{q.label} · {name}")
            _check_before_publishing(run, build, before, check)
        manifest = {
            "quarter": q.label,
            "workspace": ws.name,
            "parameters": params | {"output_dir": "."},
            "seed": seed,
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "status": "ok" if result.ok else "failed",
            "notebooks": [asdict(nb) for nb in result.notebooks],
            "packages": package_versions(),
            "git": git_commit(),
            "platform": platform.platform(),
            "inputs": {
                "ingest_run": ingest["run_id"],
                "raw_files_sha256": ingest["data_hashes"],
                "store_sha256": file_hashes([store.path], ws.root),
            },
        }
        (build / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if result.ok:
            _publish(build, final)
        else:
            result.report_dir = reports_dir / f"{q.folder}.failed-{stamp}"
            build.rename(result.report_dir)
    finally:
        if build.exists():  # interrupted: keep what ran for inspection, never the live report
            build.rename(reports_dir / f"{q.folder}.interrupted-{stamp}")
        write_index(reports_dir)
    return result


def _published_files(build: Path) -> dict[Path, int]:
    """Every file of a build but its logs, with its modification time (ns)."""
    return {p: p.stat().st_mtime_ns for p in build.rglob("*")
            if p.is_file() and "logs" not in p.relative_to(build).parts}


def _check_before_publishing(run: NotebookRun, build: Path, before: dict[Path, int],
                             check: PublicationCheck) -> None:
    """Scan what the notebook wrote; a finding fails it and its files are deleted unread (a
    failed build is kept beside the reports, so it must not keep the personal data either)."""
    written = [p for p, t in _published_files(build).items() if before.get(p) != t]
    findings = check.scan(written)
    if not findings:
        return
    for path in {f.path for f in findings}:
        path.unlink(missing_ok=True)
    message = findings_message(findings, build)
    run.status = "failed"
    run.error = f"{run.error}; {message}" if run.error else message


def _publish(build: Path, final: Path) -> None:
    """Swap the finished build in for the previous report of the quarter."""
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    if final.exists():
        final.rename(old)
    try:
        build.rename(final)
    except BaseException:
        if old.exists() and not final.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# reports/index.html
# ---------------------------------------------------------------------------------------------
def write_index(reports_dir: Path) -> Path:
    """``reports/index.html``: every published quarter with its headline metrics."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    rows, failed = [], []
    for d in sorted(reports_dir.iterdir(), reverse=True):
        manifest_path = d / "manifest.json"
        if not d.is_dir() or not manifest_path.is_file():
            continue
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if d.name.startswith(".") or ".failed-" in d.name or ".interrupted-" in d.name:
            failed.append((d.name, manifest))
            continue
        outputs = RunOutputs(d)
        headline = outputs.load_json("headline") if outputs.has("headline") else {}
        links = " · ".join(
            f'<a href="{d.name}/{nb["name"]}.html">{nb["name"][3:].replace("_", " ")}</a>'
            for nb in manifest["notebooks"]
        )
        cells = "".join(f"<td>{format_metric(k, headline.get(k))}</td>" for k in INDEX_METRICS)
        rows.append(
            f"<tr><th>{html.escape(d.name)}</th>{cells}<td>{links}</td>"
            f"<td>{html.escape(manifest['finished_at'][:16].replace('T', ' '))}</td></tr>"
        )
    head = "".join(f"<th>{HEADLINE_BY_KEY[k].short_label}</th>" for k in INDEX_METRICS)
    failed_html = "".join(
        f"<li><a href='{n}/manifest.json'>{html.escape(n)}</a>: failed notebooks "
        f"{', '.join(nb['name'] for nb in m['notebooks'] if nb['status'] != 'ok')}</li>"
        for n, m in failed[:10]
    )
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Customer insight reports</title><style>
body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}}
table{{border-collapse:collapse;width:100%}}
th,td{{padding:.45rem .6rem;border-bottom:1px solid #ddd;text-align:left}}
thead th{{background:#f3f4f6}}a{{color:#1f4e79}}</style></head><body>
<h1>Customer insight reports</h1>
<p>One row per quarter. Open a notebook's page for the full story with charts and quotes.</p>
<table><thead><tr><th>Quarter</th>{head}<th>Reports</th><th>Built (UTC)</th></tr></thead>
<tbody>{"".join(rows) or "<tr><td colspan=8>No reports yet.</td></tr>"}</tbody></table>
{f"<h2>Failed runs</h2><ul>{failed_html}</ul>" if failed_html else ""}
</body></html>"""
    path = reports_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
