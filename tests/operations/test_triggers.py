"""The raw-folder sensor (issue 11): fires on a new or changed file, not on one still being copied, not while
a refresh holds the lock; the schedule is on by default at 01:00 WITA."""

from __future__ import annotations

import fcntl
import os
import time

from dagster import DefaultScheduleStatus, DefaultSensorStatus, RunRequest, SkipReason, build_sensor_context

from pipelines.operations.triggers import decide, lock_holder
from pipelines.resources import WarehouseResource
from pipelines.warehouse import WarehousePaths


def _age(path, minutes: float) -> None:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))


def test_new_changed_and_still_copying_files(tmp_path):
    raw = tmp_path / "raw"
    (raw / "permits").mkdir(parents=True)
    first = raw / "permits" / "a.csv"
    first.write_text("x\n")
    _age(first, 10)
    fired = decide(raw, None, settle_minutes=5)
    assert fired.run_key and fired.cursor == fired.run_key
    assert decide(raw, fired.cursor, settle_minutes=5).run_key is None  # nothing new

    growing = raw / "permits" / "b.xlsx"
    growing.write_bytes(b"half")  # just written: may still be copying
    waiting = decide(raw, fired.cursor, settle_minutes=5)
    assert waiting.run_key is None and waiting.cursor == fired.cursor and "b.xlsx" in waiting.reason
    growing.write_bytes(b"half and the rest")
    _age(growing, 6)
    settled = decide(raw, fired.cursor, settle_minutes=5)
    assert settled.run_key and settled.run_key != fired.run_key


def test_the_sensor_waits_while_a_refresh_holds_the_lock(tmp_path):
    raw, marts = tmp_path / "raw", tmp_path / "marts"
    raw.mkdir()
    (raw / "a.csv").write_text("x")
    _age(raw / "a.csv", 10)
    paths = WarehousePaths(marts)
    marts.mkdir()
    with paths.lock_file.open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        assert lock_holder(paths) == f"a refresh is running (PID {os.getpid()})"
        held = decide(raw, None, lock_holder=lock_holder(paths))
        assert held.run_key is None and held.cursor is None and "asking again" in held.reason
    assert lock_holder(paths) is None


def test_the_dagster_sensor_and_schedule(tmp_path):
    from pipelines.definitions import REFRESH_JOB, build_definitions

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("x")
    _age(raw / "a.csv", 10)
    warehouse = WarehouseResource(raw_dir=str(raw), marts_dir=str(tmp_path / "marts"))
    repository = build_definitions(warehouse).get_repository_def()
    sensor = repository.get_sensor_def("raw_files_changed")
    assert sensor.default_status == DefaultSensorStatus.RUNNING
    assert sensor.job_name == REFRESH_JOB
    context = build_sensor_context(cursor=None)
    request = sensor(context)
    assert isinstance(request, RunRequest) and context.cursor == request.run_key
    assert isinstance(sensor(build_sensor_context(cursor=context.cursor)), SkipReason)
    schedule = repository.get_schedule_def("nightly_refresh")
    assert schedule.default_status == DefaultScheduleStatus.RUNNING
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 1 * * *", "Asia/Makassar")
    failure = repository.get_sensor_def("refresh_failure_alert")
    assert failure.default_status == DefaultSensorStatus.RUNNING
