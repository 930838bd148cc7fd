"""The ``cc-analysis`` command line: a thin layer over the package's functions.

Every command calls the same functions the notebooks call; nothing is computed here.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .config import ConfigError, Workspace, load_workspace

if TYPE_CHECKING:  # the schedule's imports stay out of every other command's start-up
    from .periods import Quarter
    from .schedule import ScheduleConfig

app = typer.Typer(
    help="Quarterly customer insight: feedback, interviews and churn.",
    no_args_is_help=True,
    add_completion=False,
)
schedule_app = typer.Typer(help="Run the quarterly report unattended.", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")

WORKSPACE = typer.Option(
    Path(os.environ.get("CC_WORKSPACE", "data")),
    "--workspace",
    "-w",
    help="Workspace folder (holds workspace.toml). Env: CC_WORKSPACE.",
)


def _fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command("sample-data")
def sample_data(
    out: Path = typer.Option(Path("data/raw"), help="Folder to write the exports into."),
    seed: int = typer.Option(7, help="Seed: the same seed writes the same files."),
    accounts: int = typer.Option(2000, help="Number of CRM accounts."),
) -> None:
    """Write the seeded sample workspace's raw exports (with planted truths in _truth.json)."""
    from .sample_data import generate

    truth = generate(out, seed=seed, n_accounts=accounts)
    counts = ", ".join(f"{k} {v:,}" for k, v in truth.get("counts", {}).items())
    typer.echo(f"Sample workspace written to {out} (seed {seed}): {counts}")


@app.command()
def ingest(
    workspace: Path = WORKSPACE,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Validate, redact and load every source in workspace.toml into the DuckDB store."""
    from .ingest import IngestError
    from .ingest import ingest as run_ingest

    try:
        report = run_ingest(workspace, progress=not quiet)
    except (IngestError, ConfigError) as exc:
        _fail(str(exc), 2)
    typer.echo(report.summary())


@app.command()
def run(
    quarter: str = typer.Option(
        None,
        "--quarter",
        "-q",
        help="e.g. 2026Q3. Default: the latest complete quarter in the data.",
    ),
    workspace: Path = WORKSPACE,
    timeout: int = typer.Option(900, help="Per-notebook timeout in seconds."),
    notebook: list[str] = typer.Option(
        None, "--notebook", "-n", help="Run only these notebooks (repeatable)."
    ),
    seed: int = typer.Option(None, help="Override the workspace seed."),
    notebooks_dir: Path = typer.Option(
        None,
        help="Run notebooks from this folder instead of "
        "the project's notebooks/ (same names, 01_... .ipynb).",
    ),
) -> None:
    """Execute the notebooks with papermill into reports/<quarter>/ (HTML, CSV, manifest)."""
    from .report import NOTEBOOKS, NOTEBOOKS_DIR, run_quarter

    nb_dir = notebooks_dir or NOTEBOOKS_DIR
    available = sorted(p.stem for p in nb_dir.glob("[0-9]*.ipynb")) or list(NOTEBOOKS)
    chosen = tuple(n for n in available if not notebook or any(n.startswith(x) for x in notebook))
    if not chosen:
        _fail(f"no notebook in {nb_dir} matches {', '.join(notebook)}", 2)
    try:
        result = run_quarter(
            workspace, quarter, notebooks=chosen, notebooks_dir=nb_dir, timeout_s=timeout, seed=seed
        )
    except (ConfigError, ValueError) as exc:
        _fail(str(exc), 2)
    for nb in result.notebooks:
        mark = "ok" if nb.status == "ok" else nb.status.upper()
        typer.echo(f"  {nb.name:<28} {mark:<8} {nb.duration_s:6.1f} s  {nb.error or ''}")
    if not result.ok:
        _fail(
            f"Report {result.quarter} FAILED: {', '.join(result.failed)}. The last good report "
            f"was kept; executed copies with the error are in {result.report_dir}"
        )
    typer.echo(f"Report {result.quarter} written to {result.report_dir}")


@app.command()
def redact(
    file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="A table export (CSV, TSV, JSON, Parquet, Excel)."),
    text_col: list[str] = typer.Option(..., "--text-col",
                                       help="A free-text column to redact (repeat for more)."),
    out: Path = typer.Option(..., "--out", help="The redacted copy (.csv, .tsv, .json, "
                             ".jsonl, .parquet); the export itself is never changed."),
    name_col: list[str] = typer.Option([], "--name-col",
                                       help="A column of people's names (a requester): "
                                       "replaced, and its names redacted in the text too."),
    workspace: Path = typer.Option(None, "--workspace", "-w",
                                   help="Use this workspace's [pii] policy (allow_names...)."),
) -> None:
    """Redact personal data in an export for sharing; print what was redacted, by kind."""
    from .privacy import PiiPolicy, redact_file

    try:
        policy = PiiPolicy.from_dict(load_workspace(workspace).pii) if workspace else None
        result = redact_file(file, text_col, out, name_cols=name_col, policy=policy)
    except (ValueError, ConfigError) as exc:
        _fail(str(exc), 2)
    typer.echo(result.summary())
    for col, counts in result.by_column.items():
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(counts.items())) or "nothing"
        typer.echo(f"  {col}: {kinds}")


@app.command()
def topics(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV export."),
    text_col: str = typer.Option(..., "--text-col", help="Column with the feedback text."),
    out: Path = typer.Option(..., "--out", help="Folder for topics.csv and document_topics.csv."),
    time_col: str = typer.Option(None, "--time-col", help="Date column: topics over time."),
    segment_col: str = typer.Option(None, "--segment-col", help="Group column: breakdown."),
    score_col: str = typer.Option(None, "--score-col", help="Rating/score column: impact."),
    codebook: Path = typer.Option(None, "--codebook", exists=True, dir_okay=False,
                                  help="CSV/YAML of known themes (name, description, seed_words)."),
    backend: str = typer.Option("minilm", help="Embeddings: minilm, minilm-int8, st:PATH, "
                                "lsa."),
    split: bool = typer.Option(True, "--split/--no-split",
                               help="Model sentences (a document may raise several topics)."),
    max_topics: int = typer.Option(100, help="Merge the closest topics down to at most this "
                                    "many (topics.MAX_TOPICS)."),
    seed: int = typer.Option(42, help="Seed: same input and seed give the same topics."),
    cache: Path = typer.Option(Path(os.environ.get("CC_CACHE_DIR", "~/.cache/cc-analysis"))
                               / "embeddings.duckdb", help="Embedding cache (DuckDB file)."),
    normalise: bool = typer.Option(True, "--normalise/--no-normalise",
                                   help="Take handles, links, quoted replies, signatures, "
                                   "greetings, form lines ... out of the text first."),
    keep: str = typer.Option("", "--keep", metavar="STEP[,STEP]",
                             help="Normalising steps to switch off: html, quoted_replies, "
                             "signatures, greetings, urls, handles, hashtags, emoji, "
                             "placeholders, templates."),
) -> None:
    """Topics of any CSV: labels, sizes, sentiment, keywords, quotes; score impact if given."""
    from .normalise import NormaliseOptions
    from .topics import analyze_feedback_file

    try:
        options = NormaliseOptions.keeping(keep.split(",")) if normalise else None
    except ValueError as exc:
        _fail(f"--keep: {exc}", 2)
    try:
        summary = analyze_feedback_file(file, text_col, out, time_col=time_col,
                                        segment_col=segment_col, score_col=score_col,
                                        codebook=codebook, backend=backend,
                                        cache=cache.expanduser(), seed=seed, split=split,
                                        max_topics=max_topics, normalise=options)
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc), 2)
    typer.echo(f"{summary['documents']:,} documents, {summary['topics']} topics -> {out}")
    if codebook is not None:
        typer.echo(f"  codebook: {summary['coded_documents']:,} documents fit a code, "
                   f"{summary['discovered_documents']:,} went to discovered themes")
    if summary["empty_after_normalising"]:
        typer.echo(f"  {summary['empty_after_normalising']:,} rows had no text left after "
                   "normalising (topic -1, \"(no text)\")")
    for note in summary.get("notes", []):
        typer.echo(f"  note: {note}")
    for name, path in summary["files"].items():
        typer.echo(f"  {name:<18} {path}")


@app.command()
def interviews(
    folder: Path = typer.Argument(..., exists=True, file_okay=False,
                                  help="Folder of transcripts (.vtt, .srt, .txt, .docx, .odt)."),
    out: Path = typer.Option(..., "--out", help="Folder for themes.csv, snippets.csv, "
                             "matrix.csv."),
    codebook: Path = typer.Option(None, "--codebook", exists=True, dir_okay=False,
                                  help="Versioned codebook (YAML, JSON or CSV)."),
    interviewer: list[str] = typer.Option(None, "--interviewer",
                                          help="An interviewer's speaker name (repeatable)."),
    participants: Path = typer.Option(None, "--participants", exists=True, dir_okay=False,
                                      help="CSV of participant metadata (plan, segment, role)."),
    seed: int = typer.Option(42, help="Seed."),
    strict: bool = typer.Option(False, "--strict", help="Refuse the folder if any file cannot "
                                "be read or has text before its first speaker (default: "
                                "skip or keep those, and say so)."),
) -> None:
    """Synthesise interviews: themes, participant-by-theme matrix, quotes, saturation."""
    from .interviews import CodebookError, analyze_folder
    from .transcripts import TranscriptError

    try:
        res = analyze_folder(folder, codebook=codebook, interviewers=tuple(interviewer or ()),
                             out_dir=out, seed=seed, metadata=participants, strict=strict)
    except (TranscriptError, CodebookError, ValueError) as exc:
        _fail(str(exc), 2)
    typer.echo(f"{res['interviews']} interviews, {res['participants']} participants"
               + (f"; codebook {res['codebook_version']}" if res.get("codebook_version") else ""))
    for note in res.get("notes", []):
        typer.echo(f"  note: {note}")
    for name, path in res["files"].items():
        typer.echo(f"  {name:<12} {path}")


@app.command()
def churn(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An account table (CSV)."),
    id_col: str = typer.Option(..., "--id-col", help="Account id column."),
    churn_col: str = typer.Option(..., "--churn-col", help="Churned? 1/0, true/false, yes/no."),
    out: Path = typer.Option(..., "--out", help="Folder for drivers.csv, model_metrics.json, "
                             "at_risk.csv."),
    tenure_col: str = typer.Option(None, "--tenure-col", help="Tenure in months."),
    start_col: str = typer.Option(None, "--start-col", help="Start date (instead of tenure)."),
    end_col: str = typer.Option(None, "--end-col", help="End date (with --start-col)."),
    as_of: str = typer.Option(None, "--as-of", help="Date tenure is measured to (with dates)."),
    value_col: str = typer.Option(None, "--value-col", help="Value at stake, e.g. ARR."),
    horizon_months: int = typer.Option(3, help="Risk horizon for at_risk.csv."),
    drop_col: list[str] = typer.Option(None, "--drop-col", help="Ignore a column (repeatable)."),
    keep_col: list[str] = typer.Option(None, "--keep-col", help="Keep a column the tool would "
                                       "drop as leaky or duplicate (repeatable)."),
    folds: int = typer.Option(5, help="Cross-validation folds for out-of-sample metrics."),
    seed: int = typer.Option(42, help="Seed."),
) -> None:
    """Churn drivers of any account table: hazard ratios, model quality, accounts at risk."""
    from .churn import analyze_account_file

    try:
        res = analyze_account_file(
            file, id_col, churn_col, tenure_col=tenure_col, start_col=start_col,
            end_col=end_col, out_dir=out, seed=seed, as_of=as_of, value_col=value_col,
            horizon_months=horizon_months, drop_cols=tuple(drop_col or ()),
            keep_cols=tuple(keep_col or ()), folds=folds, progress=True)
    except (ValueError, KeyError, FileNotFoundError) as exc:
        _fail(str(exc), 2)
    typer.echo(f"{res['accounts']:,} accounts, {res['churned']:,} churned; AUC {res['auc']:.3f}, "
               f"concordance {res['concordance']:.3f}")
    for note in res.get("coercions", []):
        typer.echo(f"  coerced: {note}")
    for note in res.get("excluded", []):
        typer.echo(f"  excluded: {note}")
    for sentence in res.get("top_drivers", [])[:5]:
        typer.echo(f"  driver: {sentence}")
    for name, path in res["files"].items():
        typer.echo(f"  {name:<14} {path}")


# --------------------------------------------------------------------------------------------
# schedule
# --------------------------------------------------------------------------------------------
def _schedule_config(workspace: Path) -> tuple[Workspace, ScheduleConfig]:
    from .schedule import ScheduleConfig

    ws = load_workspace(workspace)
    return ws, ScheduleConfig.from_table(ws.schedule, ws.fy_start_month)


@schedule_app.command("next")
def schedule_next(
    workspace: Path = WORKSPACE,
    count: int = typer.Option(4, "--count", "-n", help="How many runs to show."),
) -> None:
    """Show the next scheduled runs and the quarter each will report."""
    from .schedule import next_runs, quarter_for_run

    ws, cfg = _schedule_config(workspace)
    typer.echo(f"cron: {cfg.cron} ({cfg.timezone})")
    for when in next_runs(cfg.cron, count, tz=cfg.timezone):
        typer.echo(
            f"  {when:%Y-%m-%d %H:%M %Z}  -> report {quarter_for_run(when, ws.fy_start_month)}"
        )


@schedule_app.command("install")
def schedule_install(
    workspace: Path = WORKSPACE,
    write: bool = typer.Option(
        False, "--write", help="Install into the user's crontab (default: only print the line)."
    ),
    log_file: Path = typer.Option(Path("reports/schedule.log"), help="Where cron output goes."),
) -> None:
    """Print (or install with --write) the crontab line for the quarterly run."""
    from .report import PROJECT_ROOT
    from .schedule import crontab_line, install_crontab

    ws, cfg = _schedule_config(workspace)
    # ingest then run, so the report uses the exports as they are on the day
    command = ws.schedule.get("command") or f"make report-only WORKSPACE={ws.root}"
    line = crontab_line(cfg.cron, PROJECT_ROOT, command, log_file.resolve())
    if write:
        install_crontab(line)
        typer.echo(f"Installed: {line}")
    else:
        typer.echo(line)


@schedule_app.command("run")
def schedule_run(
    workspace: Path = WORKSPACE,
    now: bool = typer.Option(False, "--now", help="Also run once immediately."),
) -> None:
    """Stay in the foreground and run the quarterly report at each scheduled time."""
    from .report import run_quarter
    from .schedule import run_scheduler

    ws, cfg = _schedule_config(workspace)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    def job(quarter: Quarter) -> int:
        from .ingest import ingest as run_ingest

        run_ingest(ws, progress=False)
        return 0 if run_quarter(ws, quarter, progress=False).ok else 1

    run_scheduler(
        cfg.cron,
        job,
        fy_start_month=ws.fy_start_month,
        tz=cfg.timezone,
        run_now=now,
        status_file=ws.reports_dir / "schedule_status.json",
    )


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="cc-analysis")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
