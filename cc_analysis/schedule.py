"""When the quarterly report runs by itself, and what happens when that run fails.

This module owns the schedule of ``cc-analysis run``: the default cron expression (derived from
the fiscal-year start month), previewing upcoming run times, mapping a run time to the quarter
it reports on, installing an idempotent user crontab entry, and a foreground APScheduler loop
for machines without cron. A failed run is loud (``logging.error`` plus stderr) and leaves a JSON
status file behind so nothing is lost silently. It does not know how a report is produced: the
caller passes the job (a callable taking a :class:`Quarter`) or the shell command.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from cc_analysis.periods import Quarter, latest_complete_quarter

log = logging.getLogger(__name__)

DEFAULT_MARKER = "# cc-analysis quarterly report"
DEFAULT_TIMEZONE = "UTC"
# Relative to the project dir (the crontab line cds there first), so cron's minimal PATH is moot.
DEFAULT_COMMAND = ".venv/bin/cc-analysis run"
RUN_DAY = 5  # day of month: the 5th day after the quarter's last day
RUN_HOUR = 6
# A quarterly run that is late is far better than a skipped one: if the process was suspended
# (laptop asleep) over the run time, still run once when it wakes, even days later.
MISFIRE_GRACE_SECONDS = int(timedelta(days=3).total_seconds())


class CrontabError(RuntimeError):
    """``crontab`` is missing or refused to read/write the user's crontab."""


# -- cron expressions -------------------------------------------------------------------------
def default_cron(fy_start_month: int = 1) -> str:
    """Cron expression for 06:00 on the 5th day after each fiscal quarter ends.

    A quarter ends on the last day of a month, so the 1st of the next month is the 1st day after
    it and the 5th of that month is the 5th day after it. The months are therefore the quarter
    *start* months: 1,4,7,10 for calendar quarters (Apr 5, Jul 5, Oct 5, Jan 5), and
    ``fy_start_month``, +3, +6, +9 (mod 12) otherwise. The few days of slack let late-arriving
    exports for the last days of the quarter land before the report is built.
    """
    if not 1 <= fy_start_month <= 12:
        raise ValueError(f"fiscal-year start month must be 1-12, got {fy_start_month}")
    months = sorted((fy_start_month - 1 + 3 * k) % 12 + 1 for k in range(4))
    return f"0 {RUN_HOUR} {RUN_DAY} {','.join(map(str, months))} *"


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {tz!r} (expected an IANA name such as 'UTC')") from exc


def validate_cron(cron: str) -> str:
    """Return ``cron`` stripped, or raise ValueError if croniter or APScheduler would reject it.

    Both consumers must accept it (croniter previews runs, APScheduler executes them), so only
    plain 5-field expressions pass: no ``@daily`` shortcuts, no seconds field.
    """
    from apscheduler.triggers.cron import CronTrigger

    expr = str(cron).strip()
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(
            f"invalid cron expression {cron!r}: expected 5 fields "
            f"(minute hour day-of-month month day-of-week), got {len(fields)}"
        )
    if not croniter.is_valid(expr):
        raise ValueError(f"invalid cron expression {cron!r}")
    try:
        CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {cron!r}: {exc}") from exc
    return expr


def next_runs(
    cron: str, n: int = 4, after: datetime | None = None, tz: str = DEFAULT_TIMEZONE
) -> list[datetime]:
    """The next ``n`` run times strictly after ``after`` (default: now), aware, in ``tz``.

    A naive ``after`` is read as wall-clock time in ``tz``; an aware one is converted to it.
    """
    expr = validate_cron(cron)
    zone = _zone(tz)
    if after is None:
        after = datetime.now(zone)
    elif after.tzinfo is None:
        after = after.replace(tzinfo=zone)
    else:
        after = after.astimezone(zone)
    it = croniter(expr, after)
    return [it.get_next(datetime) for _ in range(n)]


def quarter_for_run(run_at: datetime, fy_start_month: int = 1) -> Quarter:
    """The quarter a run at ``run_at`` reports on: the latest one complete the day before.

    Using the day before makes a run on the first day after quarter end still pick the quarter
    that just ended, and keeps a run on its own day from counting a partial day of data.
    """
    return latest_complete_quarter(run_at.date() - timedelta(days=1), fy_start_month)


# -- crontab ----------------------------------------------------------------------------------
def crontab_line(
    cron: str, project_dir: Path, command: str, log_file: Path, *, use_flock: bool = True
) -> str:
    """One crontab line: cd into the project and run ``command``, appending output to a log.

    ``flock -n`` (on a lock file next to the log) makes a run that starts while the previous one
    is still going exit at once instead of piling up. Cron treats ``%`` as a newline, so it is
    escaped. The line carries no marker; :func:`install_crontab` adds it.
    """
    expr = validate_cron(cron)
    if not command.strip():
        raise ValueError("empty command for the crontab line")
    project = Path(project_dir).expanduser().resolve()
    log_path = Path(log_file).expanduser()
    log_path = (log_path if log_path.is_absolute() else project / log_path).resolve()
    run = f"{{ {command} ; }}"  # braces: the redirect below covers the whole command
    if use_flock:
        lock = log_path.with_name(log_path.name + ".lock")
        # -c hands the whole command to sh, so pipes or && stay inside the lock.
        run = f"flock -n {shlex.quote(str(lock))} -c {shlex.quote(command)}"
    line = f"{expr} cd {shlex.quote(str(project))} && {run} >> {shlex.quote(str(log_path))} 2>&1"
    return line.replace("%", r"\%")


def _run_crontab(
    crontab: str | Path, args: list[str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [str(crontab), *args], input=stdin, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise CrontabError(
            f"'{crontab}' not found: cron is not available on this machine; "
            "use `run_scheduler` (a foreground scheduler) instead"
        ) from exc
    except PermissionError as exc:
        raise CrontabError(f"cannot execute '{crontab}': {exc}") from exc


def install_crontab(
    line: str, marker: str = DEFAULT_MARKER, *, crontab: str | Path = "crontab"
) -> str:
    """Install ``line`` tagged with ``marker`` in the user's crontab; return the new crontab.

    Every existing line carrying ``marker`` is replaced, so running this again (or with a new
    schedule) leaves exactly one entry. The marker sits after the command as a shell comment.
    ``crontab`` is the program to call (injectable for tests).
    """
    if not marker.startswith("#"):
        raise ValueError(f"marker must be a comment starting with '#', got {marker!r}")
    if "\n" in line.strip():
        raise ValueError("crontab line must be a single line")
    entry = line.strip() if marker in line else f"{line.strip()} {marker}"

    current = _run_crontab(crontab, ["-l"])
    if current.returncode == 0:
        existing = current.stdout
    elif "no crontab" in (current.stderr + current.stdout).lower():
        existing = ""  # a user without a crontab yet is the normal first-install case
    else:
        raise CrontabError(
            f"`{crontab} -l` failed (exit {current.returncode}): {current.stderr.strip()}"
        )

    kept = [ln for ln in existing.splitlines() if marker not in ln]
    new = "\n".join([*kept, entry]) + "\n"  # cron ignores a last line without a newline
    if new != existing:
        written = _run_crontab(crontab, ["-"], stdin=new)
        if written.returncode != 0:
            raise CrontabError(
                f"`{crontab} -` failed (exit {written.returncode}): {written.stderr.strip()}"
            )
    return new


# -- config -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleConfig:
    """The ``[schedule]`` table: when to run (cron, timezone) and what to run (command)."""

    cron: str = field(default_factory=default_cron)
    timezone: str = DEFAULT_TIMEZONE
    command: str = DEFAULT_COMMAND

    @classmethod
    def from_table(
        cls, table: Mapping[str, Any] | None = None, fy_start_month: int = 1
    ) -> ScheduleConfig:
        """Build from a ``[schedule]`` table; missing keys default (cron from the fiscal year)."""
        table = dict(table or {})
        unknown = set(table) - {"cron", "timezone", "command"}
        if unknown:  # a typo would otherwise silently fall back to the default
            raise ValueError(f"unknown [schedule] keys: {', '.join(sorted(unknown))}")
        cron = validate_cron(str(table.get("cron") or default_cron(fy_start_month)))
        tz = str(table.get("timezone") or DEFAULT_TIMEZONE)
        _zone(tz)
        command = str(table.get("command") or DEFAULT_COMMAND)
        return cls(cron=cron, timezone=tz, command=command)


# -- foreground scheduler ---------------------------------------------------------------------
def _write_status(status_file: Path, payload: dict[str, Any]) -> None:
    status_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = status_file.with_name(status_file.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, status_file)  # atomic: a reader never sees half a status


def run_job_once(
    job: Callable[[Quarter], int],
    run_at: datetime | None = None,
    fy_start_month: int = 1,
    status_file: Path | None = None,
) -> int:
    """Run ``job`` for the quarter due at ``run_at``; return its exit code (1 on exception).

    Never raises: a failure is logged with ``logging.error``, echoed to stderr (cron/systemd
    mail or journal pick it up) and recorded in ``status_file`` so the scheduler keeps going.
    """
    run_at = run_at or datetime.now().astimezone()
    quarter = quarter_for_run(run_at, fy_start_month)
    error: str | None = None
    try:
        code = job(quarter)
        code = 0 if code is None else int(code)
        if code != 0:
            error = f"exit code {code}"
    except Exception as exc:  # the loop must survive any job failure
        log.exception("quarterly report job raised for %s", quarter.label)
        code, error = 1, f"{type(exc).__name__}: {exc}"

    if error is None:
        log.info("quarterly report for %s succeeded", quarter.label)
    else:
        msg = f"cc-analysis: quarterly report for {quarter.label} FAILED ({error})"
        log.error(msg)
        print(msg, file=sys.stderr, flush=True)
    if status_file is not None:
        _write_status(
            Path(status_file),
            {
                "last_run_at": run_at.isoformat(),
                "quarter": quarter.label,
                "status": "ok" if error is None else "failed",
                "error": error,
            },
        )
    return code


def run_scheduler(
    cron: str,
    job: Callable[[Quarter], int],
    fy_start_month: int = 1,
    tz: str = DEFAULT_TIMEZONE,
    run_now: bool = False,
    status_file: Path | None = None,
) -> None:
    """Run ``job`` on ``cron`` in the foreground (this call blocks) until SIGINT/SIGTERM.

    ``coalesce`` folds several missed runs into one and the long misfire grace makes a process
    that was suspended over the run time still run once on wake-up; a run missed beyond the grace
    is logged as an error rather than dropped quietly. ``run_now`` also runs once immediately.
    The first signal stops scheduling and waits for a report already running to finish (no
    half-written quarter); a second signal aborts it.
    """
    from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    zone = _zone(tz)
    trigger = CronTrigger.from_crontab(validate_cron(cron), timezone=zone)
    # Not BlockingScheduler: its loop runs in the main thread, where a signal handler either
    # deadlocks on a lock the interrupted code holds (calling shutdown()) or is swallowed by
    # APScheduler's catch-all around job submission (raising). Here the main thread only sleeps.
    scheduler = BackgroundScheduler(timezone=zone)

    def _tick() -> None:
        run_job_once(job, datetime.now(zone), fy_start_month, status_file)

    def _missed(event: JobExecutionEvent) -> None:
        msg = f"cc-analysis: scheduled quarterly run at {event.scheduled_run_time} was MISSED"
        log.error(msg)
        print(msg, file=sys.stderr, flush=True)

    stop: dict[str, Any] = {"signal": None, "sleeping": False}

    def _stop(signum: int, _frame: object) -> None:
        stop["signal"] = signal.Signals(signum).name
        # Raise only while the main thread is in the sleep loop below: raising inside APScheduler
        # code could leave its locks or state half-updated. Otherwise the flag ends the loop.
        if stop["sleeping"]:
            raise _StopScheduler(stop["signal"])

    scheduler.add_listener(_missed, EVENT_JOB_MISSED)
    extra: dict[str, Any] = {"next_run_time": datetime.now(zone)} if run_now else {}
    scheduler.add_job(
        _tick,
        trigger,
        id="cc-analysis-quarterly",
        coalesce=True,
        max_instances=1,  # a slow run is never overlapped by the next
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        **extra,
    )

    previous: dict[signal.Signals, Any] = {}
    try:
        if threading.current_thread() is threading.main_thread():  # else signals can't be caught
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, _stop)
        scheduler.start()
        upcoming = ", ".join(t.isoformat() for t in next_runs(cron, 2, tz=tz))
        log.info("scheduler started: %r (%s); next runs: %s", cron, tz, upcoming)
        while scheduler.running and stop["signal"] is None:
            stop["sleeping"] = True
            try:
                time.sleep(1)
            finally:
                stop["sleeping"] = False
    except (_StopScheduler, KeyboardInterrupt):
        pass
    finally:
        # Restore handlers first so a second signal aborts a report still being written.
        _restore_handlers(previous)
        if scheduler.running:
            log.info("stopping scheduler (%s); letting a running report finish", stop["signal"])
            scheduler.shutdown(wait=True)


class _StopScheduler(BaseException):
    """Raised by the SIGINT/SIGTERM handler to unwind the scheduler's main loop."""


def _restore_handlers(previous: dict[signal.Signals, Any]) -> None:
    for sig, old in previous.items():
        signal.signal(sig, old)
    previous.clear()


__all__ = [
    "CrontabError",
    "DEFAULT_MARKER",
    "ScheduleConfig",
    "crontab_line",
    "default_cron",
    "install_crontab",
    "next_runs",
    "quarter_for_run",
    "run_job_once",
    "run_scheduler",
    "validate_cron",
]
