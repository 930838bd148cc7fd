"""Tests for cc_analysis.schedule: cron defaults, run previews, crontab install, job wrapper."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cc_analysis.periods import Quarter
from cc_analysis.schedule import (
    DEFAULT_MARKER,
    CrontabError,
    ScheduleConfig,
    crontab_line,
    default_cron,
    install_crontab,
    next_runs,
    quarter_for_run,
    run_job_once,
    run_scheduler,
)

UTC = ZoneInfo("UTC")


# -- default_cron / next_runs -----------------------------------------------------------------
def test_default_cron_calendar_quarters() -> None:
    assert default_cron() == "0 6 5 1,4,7,10 *"


@pytest.mark.parametrize(
    ("fy_start", "months"),
    [(2, "2,5,8,11"), (4, "1,4,7,10"), (7, "1,4,7,10"), (10, "1,4,7,10"), (12, "3,6,9,12")],
)
def test_default_cron_fiscal_start(fy_start: int, months: str) -> None:
    assert default_cron(fy_start) == f"0 6 5 {months} *"


def test_default_cron_rejects_bad_month() -> None:
    with pytest.raises(ValueError, match="1-12"):
        default_cron(13)


def test_next_runs_calendar() -> None:
    runs = next_runs(default_cron(), after=datetime(2026, 11, 23, tzinfo=UTC))
    assert runs == [
        datetime(2027, 1, 5, 6, 0, tzinfo=UTC),
        datetime(2027, 4, 5, 6, 0, tzinfo=UTC),
        datetime(2027, 7, 5, 6, 0, tzinfo=UTC),
        datetime(2027, 10, 5, 6, 0, tzinfo=UTC),
    ]
    assert all(r.tzinfo is not None for r in runs)


def test_next_runs_exactly_at_run_time_is_strictly_after() -> None:
    runs = next_runs(default_cron(), n=2, after=datetime(2027, 1, 5, 6, 0, tzinfo=UTC))
    assert runs == [datetime(2027, 4, 5, 6, 0, tzinfo=UTC), datetime(2027, 7, 5, 6, 0, tzinfo=UTC)]
    # One second earlier, the run at that instant is still ahead.
    just_before = next_runs(default_cron(), n=1, after=datetime(2027, 1, 5, 5, 59, 59, tzinfo=UTC))
    assert just_before == [datetime(2027, 1, 5, 6, 0, tzinfo=UTC)]


def test_next_runs_fiscal_february_start() -> None:
    runs = next_runs(default_cron(2), after=datetime(2026, 11, 23, tzinfo=UTC))
    assert [(r.year, r.month, r.day, r.hour) for r in runs] == [
        (2027, 2, 5, 6),
        (2027, 5, 5, 6),
        (2027, 8, 5, 6),
        (2027, 11, 5, 6),
    ]


def test_next_runs_timezone_naive_and_aware_after() -> None:
    berlin = "Europe/Berlin"
    naive = next_runs(default_cron(), n=1, after=datetime(2026, 11, 23), tz=berlin)
    assert naive == [datetime(2027, 1, 5, 6, 0, tzinfo=ZoneInfo(berlin))]
    assert naive[0].utcoffset().total_seconds() == 3600
    # 04:30 UTC on the run day is 05:30 in Berlin: the 06:00 Berlin run is still ahead.
    aware = next_runs(default_cron(), n=1, after=datetime(2027, 1, 5, 4, 30, tzinfo=UTC), tz=berlin)
    assert aware[0] == datetime(2027, 1, 5, 5, 0, tzinfo=UTC)


def test_next_runs_default_after_is_future() -> None:
    (run,) = next_runs(default_cron(), n=1)
    assert run > datetime.now(UTC)


@pytest.mark.parametrize(
    "bad", ["", "0 6 5 1,4,7,10", "61 6 5 1 *", "0 6 5 13 *", "nonsense", "@daily", "0 0 6 5 1 *"]
)
def test_invalid_cron_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid cron expression"):
        next_runs(bad)


def test_unknown_timezone_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        next_runs(default_cron(), tz="Mars/Olympus")


# -- quarter_for_run --------------------------------------------------------------------------
def test_quarter_for_run_calendar() -> None:
    assert quarter_for_run(datetime(2026, 10, 5, 6, 0, tzinfo=UTC)) == Quarter(2026, 3)
    assert quarter_for_run(datetime(2027, 1, 5, 6, 0)) == Quarter(2026, 4)
    # The first day after quarter end already sees the quarter as complete.
    assert quarter_for_run(datetime(2026, 10, 1)) == Quarter(2026, 3)
    # On the quarter's own last day it is not complete yet.
    assert quarter_for_run(datetime(2026, 9, 30, 23, 0)) == Quarter(2026, 2)


def test_quarter_for_run_fiscal_february() -> None:
    # FY2027 starts Feb 2026; Q1 = Feb-Apr 2026, run on May 5.
    q = quarter_for_run(datetime(2026, 5, 5, 6, 0, tzinfo=UTC), fy_start_month=2)
    assert q == Quarter(2027, 1, 2)
    assert (q.start.isoformat(), q.end.isoformat()) == ("2026-02-01", "2026-04-30")
    # Feb 5 2027 reports on Nov 2026 - Jan 2027 = FY2027 Q4.
    assert quarter_for_run(datetime(2027, 2, 5, 6), fy_start_month=2) == Quarter(2027, 4, 2)


def test_every_default_run_reports_the_quarter_just_ended() -> None:
    for fy_start in (1, 2, 4, 7, 11):
        for run in next_runs(default_cron(fy_start), n=8, after=datetime(2026, 1, 1, tzinfo=UTC)):
            q = quarter_for_run(run, fy_start)
            assert (run.date() - q.end).days == 5, (fy_start, run, q)


# -- crontab_line -----------------------------------------------------------------------------
def test_crontab_line_content(tmp_path: Path) -> None:
    project = tmp_path / "my proj"
    project.mkdir()
    line = crontab_line(
        default_cron(), project, ".venv/bin/cc-analysis run", Path("logs/schedule.log")
    )
    log = (project / "logs" / "schedule.log").resolve()
    assert line.startswith("0 6 5 1,4,7,10 * ")
    assert f"cd '{project.resolve()}' && " in line  # absolute and shell-quoted (space in name)
    assert f"flock -n '{log}.lock' -c '.venv/bin/cc-analysis run'" in line
    assert line.endswith(f">> '{log}' 2>&1")
    assert "\n" not in line


def test_crontab_line_escapes_percent_and_can_skip_flock(tmp_path: Path) -> None:
    line = crontab_line(
        "0 6 5 1 *", tmp_path, "echo $(date +%F)", tmp_path / "x.log", use_flock=False
    )
    assert "flock" not in line
    assert r"date +\%F" in line and "+%F" not in line.replace(r"\%", "")
    with pytest.raises(ValueError, match="invalid cron"):
        crontab_line("bad", tmp_path, "true", tmp_path / "x.log")


@pytest.mark.skipif(shutil.which("flock") is None, reason="flock not installed")
def test_crontab_line_runs_under_sh(tmp_path: Path) -> None:
    """The command part (what cron hands to sh after un-escaping %) really works."""
    log = tmp_path / "logs" / "run.log"
    log.parent.mkdir()
    line = crontab_line("0 6 5 1 *", tmp_path, "pwd && echo 100% done", log)
    command = line.split(" ", 5)[5].replace(r"\%", "%")
    subprocess.run(["sh", "-c", command], check=True, cwd="/", timeout=10)
    subprocess.run(["sh", "-c", command], check=True, cwd="/", timeout=10)
    assert log.read_text().splitlines() == [str(tmp_path.resolve()), "100% done"] * 2


# -- install_crontab --------------------------------------------------------------------------
def _fake_crontab(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A stand-in `crontab` that keeps its table in a file and counts writes."""
    table, writes = tmp_path / "crontab.txt", tmp_path / "writes.txt"
    script = tmp_path / "fake-crontab"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        f"table = pathlib.Path({str(table)!r}); writes = pathlib.Path({str(writes)!r})\n"
        "if sys.argv[1:] == ['-l']:\n"
        "    if not table.exists():\n"
        "        sys.stderr.write('no crontab for tester\\n'); sys.exit(1)\n"
        "    sys.stdout.write(table.read_text())\n"
        "elif sys.argv[1:] == ['-']:\n"
        "    table.write_text(sys.stdin.read())\n"
        "    n = int(writes.read_text()) if writes.exists() else 0\n"
        "    writes.write_text(str(n + 1))\n"
        "else:\n"
        "    sys.stderr.write('usage\\n'); sys.exit(2)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, table, writes


def test_install_crontab_idempotent_with_absent_crontab(tmp_path: Path) -> None:
    fake, table, writes = _fake_crontab(tmp_path)
    line = crontab_line(default_cron(), tmp_path, "true", tmp_path / "run.log")

    first = install_crontab(line, crontab=fake)
    assert first == f"{line} {DEFAULT_MARKER}\n"
    assert table.read_text() == first

    second = install_crontab(line, crontab=fake)
    assert second == first
    assert table.read_text().count(DEFAULT_MARKER) == 1
    assert writes.read_text() == "1"  # unchanged table is not rewritten


def test_install_crontab_replaces_marked_line_and_keeps_others(tmp_path: Path) -> None:
    fake, table, _ = _fake_crontab(tmp_path)
    others = "MAILTO=me@example.com\n*/5 * * * * /usr/bin/backup\n"
    table.write_text(others + f"0 1 1 1 * old-command {DEFAULT_MARKER}\n")

    new_line = crontab_line(default_cron(2), tmp_path, "true", tmp_path / "run.log")
    result = install_crontab(new_line, crontab=fake)
    assert result == others + f"{new_line} {DEFAULT_MARKER}\n"
    assert table.read_text() == result
    assert "old-command" not in result


def test_install_crontab_custom_marker_already_in_line(tmp_path: Path) -> None:
    fake, table, _ = _fake_crontab(tmp_path)
    install_crontab("0 6 5 1 * true # mine", marker="# mine", crontab=fake)
    install_crontab("0 6 5 1 * false # mine", marker="# mine", crontab=fake)
    assert table.read_text() == "0 6 5 1 * false # mine\n"
    with pytest.raises(ValueError, match="marker"):
        install_crontab("0 6 5 1 * true", marker="mine", crontab=fake)


def test_install_crontab_missing_program(tmp_path: Path) -> None:
    with pytest.raises(CrontabError, match="not available"):
        install_crontab("0 6 5 1 * true", crontab=tmp_path / "no-such-crontab")


def test_install_crontab_list_failure_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken-crontab"
    broken.write_text("#!/bin/sh\necho 'permission denied' >&2\nexit 1\n")
    broken.chmod(0o755)
    with pytest.raises(CrontabError, match="permission denied"):
        install_crontab("0 6 5 1 * true", crontab=broken)


# -- ScheduleConfig ---------------------------------------------------------------------------
def test_schedule_config_defaults_and_overrides() -> None:
    assert ScheduleConfig.from_table(None) == ScheduleConfig(
        "0 6 5 1,4,7,10 *", "UTC", ".venv/bin/cc-analysis run"
    )
    assert ScheduleConfig.from_table({}, fy_start_month=2).cron == "0 6 5 2,5,8,11 *"
    cfg = ScheduleConfig.from_table(
        {"cron": "30 7 6 1,4,7,10 *", "timezone": "Europe/Berlin", "command": "make report"}
    )
    assert (cfg.cron, cfg.timezone, cfg.command) == (
        "30 7 6 1,4,7,10 *",
        "Europe/Berlin",
        "make report",
    )


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ({"crn": "0 6 5 1 *"}, "unknown"),
        ({"cron": "bad"}, "invalid cron"),
        ({"timezone": "X/Y"}, "timezone"),
    ],
)
def test_schedule_config_rejects_bad_tables(table: dict[str, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ScheduleConfig.from_table(table)


# -- job wrapper and scheduler ----------------------------------------------------------------
RUN_AT = datetime(2026, 10, 5, 6, 0, tzinfo=UTC)


def test_run_job_once_success_writes_ok(tmp_path: Path) -> None:
    seen: list[Quarter] = []
    status = tmp_path / "state" / "schedule-status.json"

    def job(q: Quarter) -> int:
        seen.append(q)
        return 0

    assert run_job_once(job, RUN_AT, status_file=status) == 0
    assert seen == [Quarter(2026, 3)]
    assert json.loads(status.read_text()) == {
        "last_run_at": "2026-10-05T06:00:00+00:00",
        "quarter": "2026Q3",
        "status": "ok",
        "error": None,
    }


def test_run_job_once_nonzero_exit_is_loud(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    status = tmp_path / "status.json"
    with caplog.at_level(logging.ERROR, logger="cc_analysis.schedule"):
        assert run_job_once(lambda q: 3, RUN_AT, status_file=status) == 3
    data = json.loads(status.read_text())
    assert data["status"] == "failed" and data["quarter"] == "2026Q3"
    assert data["error"] == "exit code 3"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors
    assert "2026Q3" in errors[-1].getMessage() and "exit code 3" in errors[-1].getMessage()
    assert "2026Q3" in capsys.readouterr().err


def test_run_job_once_exception_is_caught_and_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    status = tmp_path / "status.json"

    def job(q: Quarter) -> int:
        raise RuntimeError("warehouse unreachable")

    with caplog.at_level(logging.ERROR, logger="cc_analysis.schedule"):
        assert run_job_once(job, RUN_AT, fy_start_month=2, status_file=status) == 1
    data = json.loads(status.read_text())
    assert data["status"] == "failed"
    assert data["quarter"] == "2027Q2"  # FY starting Feb: May-Jul 2026 is FY2027 Q2
    assert data["error"] == "RuntimeError: warehouse unreachable"
    assert any("warehouse unreachable" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info for r in caplog.records)  # traceback is logged


def test_run_job_once_without_status_file() -> None:
    assert run_job_once(lambda q: 0, RUN_AT) == 0


def test_run_scheduler_rejects_invalid_cron() -> None:
    with pytest.raises(ValueError, match="invalid cron"):
        run_scheduler("not a cron", lambda q: 0)


@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="needs main thread"
)
def test_run_scheduler_run_now_then_sigterm_stops(tmp_path: Path) -> None:
    seen: list[Quarter] = []
    before = signal.getsignal(signal.SIGTERM)

    def job(q: Quarter) -> int:
        seen.append(q)
        os.kill(os.getpid(), signal.SIGTERM)  # ask the foreground loop to stop
        return 0

    # Safety net so a regression cannot hang the suite.
    guard = threading.Timer(5, os.kill, (os.getpid(), signal.SIGINT))
    guard.start()
    try:
        run_scheduler(default_cron(), job, run_now=True, status_file=tmp_path / "s.json")
    finally:
        guard.cancel()
    assert seen == [quarter_for_run(datetime.now(UTC))]
    assert signal.getsignal(signal.SIGTERM) == before  # handlers restored
    # shutdown waited for the running job, so its status is already on disk
    assert json.loads((tmp_path / "s.json").read_text())["status"] == "ok"
