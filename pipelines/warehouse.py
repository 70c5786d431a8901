"""Where the warehouse lives on disk, and how a gated build becomes what analysts open.

marts_dir/ (every path below comes from WarehousePaths, the only place that spells the layout)
  build/warehouse.duckdb     the private working copy each refresh writes into (ingest + dbt), created in
                             RELEASE_STORAGE_VERSION (DuckDB keeps a file's storage version on every open)
  releases/warehouse-<utc>-<run>.duckdb   read-only published versions (the newest few kept for rollback),
                             written in a storage version DuckDB 1.x clients read (RELEASE_STORAGE_VERSION);
                             the folder itself is read-only between refreshes
  releases/warehouse-<utc>-<run>/parquet/<schema>.<table>.parquet   every mart of that release as Parquet
  warehouse.duckdb           symlink to the current release: what `umkm query` and analysts open, read-only
  published_parquet          symlink to the current release's parquet/ folder (tools that prefer files)
  published.jsonl            one line per publish (release, run, time, shrink decision)
  refresh.lock               held while a refresh runs (it holds the PID), so two refreshes never interleave
  logs/refresh-<utc>.log     each CLI refresh's full log (dbt output, tracebacks)
  quality/runs/<run_id>/<suite>.json   each quality suite's result (pipelines/quality/gate.py)
  quality/data_docs/index.html         GE Data Docs of the latest refresh (pipelines/quality/docs_process.py)
  quality/status.json        the latest refresh: inputs, check results, gaps by type, outcome (`umkm status`)
  dagster/                   DAGSTER_HOME of CLI refreshes and `umkm serve` (SQLite storage, telemetry off)
  alerts/<utc>-<run>.json    one file per failed run: what failed, why, the log, what is still published
  alerts/alerts.log          one line per alert (pipelines/operations/alerts.py)
  dictionary/kamus_data.html, kamus_data.md   the data dictionary of every mart (pipelines/docs), each publish
  dictionary/dbt_docs.html   the dbt docs site as one offline file
  build/dbt_target/          the refresh's dbt artifacts (manifest.json, catalog.json) the dictionary reuses

Publishing checkpoints the build and rebuilds it compactly when needed (compact_build: more than
settings.COMPACT_FREE_SHARE of its blocks free, or a build file from before build files were created in
RELEASE_STORAGE_VERSION, rewritten once). The build file is then already in the storage version DuckDB 1.x
clients open, so the release is a plain copy of its bytes (all tables, views, macros and comments), refused
unless it opens read-only in RELEASE_STORAGE_VERSION. Every mart is written as Parquet beside it, and the two
symlinks are swapped with os.replace (the Parquet one first): a reader with an open connection keeps its
version, a new connection sees the new one, nobody is ever blocked, and a failed refresh leaves the published
warehouse exactly as it was (DuckDB: readers of one file never block a writer of another, and an open
connection keeps reading the file it opened). The byte copy replaced a COPY FROM DATABASE of the whole build
into a fresh file at every publish.

Disk stays bounded (docs/security.md): the next refresh removes `.partial` copies and releases that were
never published, old logs and quality-run folders are pruned, and the build file is rebuilt compactly when
more than settings.COMPACT_FREE_SHARE of its blocks are free, so releases do not grow run after run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.progress import step
from pipelines.settings import COMPACT_FREE_SHARE, DUCKDB_MEMORY_LIMIT

PUBLISHED_NAME = "warehouse.duckdb"
# The build file's name in build/: dbt opens it by this name from there (pipelines/dbt_project.py).
BUILD_FILE_NAME = "warehouse.duckdb"
PUBLISHED_PARQUET_NAME = "published_parquet"
# DuckDB 2.0 writes storage format 2.0 by default, which DuckDB 1.x clients (the PyPI duckdb-cli 1.5.x, most
# DBeaver and Metabase drivers) refuse ("can only read versions between 64 and 68"). Releases are written in
# this older storage version instead: DuckDB 1.2 and later, and 2.0, read it.
RELEASE_STORAGE_VERSION = "v1.2.0"
# The schemas whose tables and views are also written as Parquet beside each release.
PARQUET_SCHEMAS = ("marts",)
# Parquet columns of a type a DuckDB 1.x client, pandas/pyarrow or Excel Power Query reads badly or not at all
# are written cast (README "Opening the warehouse"). HUGEINT (what sum() of BIGINT returns) to BIGINT: every
# count and sum of the marts fits, and a value that did not would make the publish fail, never round.
PARQUET_CASTS = {
    "HUGEINT": "BIGINT",
    "UHUGEINT": "BIGINT",
    "INTERVAL": "VARCHAR",
    "TIME WITH TIME ZONE": "VARCHAR",
    "BIT": "VARCHAR",
    "BIGNUM": "VARCHAR",
    "VARINT": "VARCHAR",
    "JSON": "VARCHAR",
}
RELEASES_KEPT = 5
# Every reading path (umkm query, summary, status, the publish guard) opens the published file like this:
# it reads the published tables and nothing else (no ATTACH, COPY TO, file readers, INSTALL/LOAD, SET).
READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}
# Environment marker of the refresh's children (dbt, Data Docs): a later refresh knows a leftover as ours.
CHILD_MARKER = "UMKM_REFRESH_MARTS_DIR"


class WarehouseNotPublishedError(RuntimeError):
    pass


class RefreshLockedError(RuntimeError):
    """Another refresh holds the marts folder: the caller writes nothing and says so in one line."""


class BuildFileBusyError(RuntimeError):
    pass


@dataclass(frozen=True)
class WarehousePaths:
    marts_dir: Path

    @property
    def build_dir(self) -> Path:
        return self.marts_dir / "build"

    @property
    def build_file(self) -> Path:
        return self.build_dir / BUILD_FILE_NAME

    @property
    def releases_dir(self) -> Path:
        return self.marts_dir / "releases"

    @property
    def published(self) -> Path:
        return self.marts_dir / PUBLISHED_NAME

    @property
    def lock_file(self) -> Path:
        return self.marts_dir / "refresh.lock"

    @property
    def dagster_home(self) -> Path:
        return self.marts_dir / "dagster"

    @property
    def dagster_event_logs(self) -> Path:
        """Dagster's SQLite event log: one <run_id>.db per run and index.db (dagster_storage.py)."""
        return self.dagster_home / "history" / "runs"

    @property
    def logs_dir(self) -> Path:
        return self.marts_dir / "logs"

    @property
    def history_file(self) -> Path:
        return self.marts_dir / "published.jsonl"

    @property
    def quality_dir(self) -> Path:
        return self.marts_dir / "quality"

    @property
    def quality_runs_dir(self) -> Path:
        return self.quality_dir / "runs"

    def quality_run_dir(self, run_id: str) -> Path:
        return self.quality_runs_dir / run_id

    @property
    def docs_dir(self) -> Path:
        return self.quality_dir / "data_docs"

    @property
    def status_file(self) -> Path:
        return self.quality_dir / "status.json"

    @property
    def exports_dir(self) -> Path:
        """`umkm export` and the export asset write exports/<period>/ (workbook, csv/, HTML page)."""
        return self.marts_dir / "exports"

    def log_file(self, started_at: dt.datetime) -> Path:
        return self.logs_dir / f"refresh-{started_at:%Y%m%dT%H%M%S%fZ}.log"

    @property
    def alerts_dir(self) -> Path:
        return self.marts_dir / "alerts"

    @property
    def alerts_log(self) -> Path:
        return self.alerts_dir / "alerts.log"

    def alert_file(self, at: dt.datetime, run_id: str) -> Path:
        return self.alerts_dir / f"{at:%Y%m%dT%H%M%S%fZ}-{run_id[:8]}.json"

    @property
    def dbt_target_dir(self) -> Path:
        """The refresh's dbt artifacts (manifest, run results, partial parse): the dictionary reuses them, and
        the next refresh into this marts folder reuses the partial parse instead of parsing the project."""
        return self.build_dir / "dbt_target"

    @property
    def dictionary_dir(self) -> Path:
        """The data dictionary written after each publish (pipelines/docs): what every mart column means."""
        return self.marts_dir / "dictionary"

    @property
    def dictionary_html(self) -> Path:
        return self.dictionary_dir / "kamus_data.html"

    @property
    def dictionary_markdown(self) -> Path:
        return self.dictionary_dir / "kamus_data.md"

    @property
    def dbt_docs_file(self) -> Path:
        """The dbt docs site as one offline file (`dbt docs generate --static`)."""
        return self.dictionary_dir / "dbt_docs.html"

    @property
    def dagster_config(self) -> Path:
        return self.dagster_home / "dagster.yaml"

    @property
    def serve_log(self) -> Path:
        """What `umkm serve` (dagster-webserver and dagster-daemon) prints."""
        return self.logs_dir / "serve.log"

    def release_file(self, name: str) -> Path:
        return self.releases_dir / name

    @property
    def next_link(self) -> Path:
        """The symlink built beside the published name and renamed over it (the atomic swap)."""
        return self.marts_dir / f".{PUBLISHED_NAME}.next"

    @property
    def published_parquet(self) -> Path:
        """Symlink to the published release's parquet/ folder."""
        return self.marts_dir / PUBLISHED_PARQUET_NAME

    @property
    def next_parquet_link(self) -> Path:
        return self.marts_dir / f".{PUBLISHED_PARQUET_NAME}.next"

    def release_folder(self, name: str) -> Path:
        """releases/<release>/ beside releases/<release>.duckdb: what is published with that release."""
        return self.releases_dir / name.removesuffix(".duckdb")

    def release_parquet_dir(self, name: str) -> Path:
        return self.release_folder(name) / "parquet"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def drop_orphan_relations(con: duckdb.DuckDBPyConnection, built: set[tuple[str, str]]) -> list[str]:
    """Drop tables and views in the schemas dbt builds into that the project no longer builds (a renamed or
    removed model): the build file persists between refreshes, and an orphan would be published with stale
    rows. Schemas dbt does not own (raw, meta) are never touched. Returns what was dropped."""
    schemas = sorted({schema for schema, _ in built})
    if not schemas:
        return []
    rows = con.execute(
        "SELECT table_schema, table_name, table_type FROM information_schema.tables "
        "WHERE table_schema IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1, 2",
        [schemas],
    ).fetchall()
    dropped = []
    for schema, name, table_type in rows:
        if (schema, name) not in built:
            kind = "VIEW" if table_type == "VIEW" else "TABLE"
            con.execute(f'DROP {kind} IF EXISTS "{schema}"."{name}"')
            dropped.append(f"{schema}.{name}")
    return dropped


def sql_string(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def create_database_file(path: Path) -> None:
    """An empty DuckDB file in RELEASE_STORAGE_VERSION. DuckDB keeps the storage version a file was created
    with whenever it opens an existing file (it never upgrades one on its own), so every later opener (ingest,
    dbt through its profile, the checks) writes this version without being told."""
    with duckdb.connect() as con:
        con.execute(
            f"ATTACH {sql_string(str(path))} AS new_file (STORAGE_VERSION '{RELEASE_STORAGE_VERSION}')"
        )
        con.execute("DETACH new_file")


def ensure_build_file(paths: WarehousePaths) -> None:
    """Create the build file in RELEASE_STORAGE_VERSION when there is none, before anything (ingest, dbt)
    opens it: a file created by a plain open would be in DuckDB's default storage, which 1.x clients refuse,
    and publishing would then have to rewrite it."""
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    if paths.build_file.exists():
        return
    # Created under another name and renamed: a refresh killed mid-creation leaves no half-written build file.
    fresh = paths.build_dir / "warehouse.new.duckdb"
    fresh.unlink(missing_ok=True)
    fresh.with_name(fresh.name + ".wal").unlink(missing_ok=True)
    create_database_file(fresh)
    os.replace(fresh, paths.build_file)


def storage_version(con: duckdb.DuckDBPyConnection) -> str:
    """The storage version of the connection's main database file, as DuckDB reports it in
    duckdb_databases() (tag 'v1.2.0+': "readable by v1.2.0 and later"), without the '+'."""
    row = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return str(row[0] or "").removesuffix("+")


def open_build_file(build_file: Path) -> duckdb.DuckDBPyConnection:
    """The build file with DuckDB's memory limit (settings.DUCKDB_MEMORY_LIMIT): every opener in this process
    uses the same configuration, which DuckDB requires of two connections to one file."""
    return duckdb.connect(str(build_file), config={"memory_limit": DUCKDB_MEMORY_LIMIT})


def connect_build(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    ensure_build_file(paths)
    return open_build_file(paths.build_file)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A published file, read-only and locked down: only its own tables can be read."""
    return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))


def connect_published(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """Read-only: analysts never take a write lock, never leave a WAL beside a release, never reach a file."""
    if not paths.published.exists():
        raise WarehouseNotPublishedError(
            f"no published warehouse at {paths.published}: run `umkm refresh` (or `make run`) first"
        )
    return connect_read_only(paths.published)


def connect_published_internal(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """connect_published for our own reads (status, the publish guard). When this process already holds the
    file open with another configuration (a caller that embeds `umkm` in-process and keeps a plain read-only
    connection), DuckDB refuses a second configuration: read through that plain read-only mode instead."""
    try:
        return connect_published(paths)
    except duckdb.ConnectionException as error:
        if "different configuration" not in str(error):
            raise
        return duckdb.connect(str(paths.published), read_only=True)


def _lock_holder(path: Path) -> str:
    with contextlib.suppress(OSError):
        pid = path.read_text().strip()
        if pid.isdigit():
            return f"PID {pid}"
    return "another process"


@contextmanager
def refresh_lock(paths: WarehousePaths) -> Iterator[None]:
    """Hold marts_dir/refresh.lock for a whole run; the file names the holder's PID. A second run raises
    RefreshLockedError before it writes anything (the winner's PID is left untouched: opened for append)."""
    paths.marts_dir.mkdir(parents=True, exist_ok=True)
    with paths.lock_file.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise RefreshLockedError(
                f"another refresh is running ({_lock_holder(paths.lock_file)} holds {paths.lock_file}); "
                "nothing was written"
            ) from error
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---- who holds the build file ------------------------------------------------------------------------------


def file_lock_holders(path: Path) -> list[int]:
    """PIDs holding a POSIX/flock lock on ``path`` (DuckDB locks its file), from /proc/locks (Linux)."""
    try:
        st = path.stat()
        locks = Path("/proc/locks").read_text()
    except OSError:
        return []
    inode_key = f":{st.st_ino}"
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}{inode_key}"
    pids = []
    for line in locks.splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 1234 00:2f:1234567 0 EOF" (a "->" marks a waiter: skip it)
        if (
            len(fields) >= 6
            and fields[1] != "->"
            and fields[5].lower() == device.lower()
            and fields[4].isdigit()
            and int(fields[4]) != os.getpid()
        ):
            pids.append(int(fields[4]))
    return sorted(set(pids))


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def is_leftover_of_ours(pid: int, paths: WarehousePaths) -> bool:
    """A child of an earlier refresh of this marts folder (dbt, Data Docs): it carries our marker. Called
    while we hold the refresh lock, so no live refresh owns it any more."""
    environ = _environ(pid)
    if environ.get(CHILD_MARKER) == str(paths.marts_dir):
        return True
    # An orphaned dbt of a refresh from before the marker (its UMKM_WAREHOUSE_PATH is our build file).
    return (
        environ.get("UMKM_WAREHOUSE_PATH") == str(paths.build_file)
        and "dbt" in _command(pid)
        and _parent(pid) == 1
    )


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie holds nothing
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def free_build_file(paths: WarehousePaths, say, wait_seconds: float = 60.0) -> None:
    """Before a refresh touches the build file: a leftover process of an earlier refresh of ours that still
    holds it is ended (SIGTERM, then SIGKILL); anyone else's (an analyst who opened the build file) is waited
    for, up to ``wait_seconds``. ``say(line)`` reports what happens, naming the PID."""
    deadline = time.monotonic() + wait_seconds
    announced: set[int] = set()
    while holders := [p for p in file_lock_holders(paths.build_file) if _alive(p)]:
        for pid in holders:
            if is_leftover_of_ours(pid, paths):
                say(
                    f"build file held by PID {pid} ({_command(pid)[:80]}), "
                    "left over from an earlier refresh: ending it"
                )
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
                for _ in range(50):
                    if not _alive(pid):
                        break
                    time.sleep(0.1)
                else:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    time.sleep(0.2)
            elif pid not in announced:
                announced.add(pid)
                say(
                    f"build file {paths.build_file} is open in PID {pid} ({_command(pid)[:80]}): "
                    f"waiting up to {wait_seconds:.0f} s for it to close"
                )
        if time.monotonic() > deadline:
            pid = holders[0]
            raise BuildFileBusyError(
                f"the build file {paths.build_file} is still held by PID {pid} ({_command(pid)[:80]}), "
                "which is not a refresh of this folder: close it and refresh again"
            )
        time.sleep(0.5)


# ---- publish -----------------------------------------------------------------------------------------------


@contextmanager
def _writable(folder: Path) -> Iterator[None]:
    """The releases folder is read-only between refreshes; writable only while a refresh changes it."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    try:
        yield
    finally:
        folder.chmod(0o555)


def database_blocks(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(total_blocks, free_blocks) of the connection's main database file."""
    row = con.execute(
        "SELECT total_blocks, free_blocks FROM pragma_database_size() "
        "WHERE database_name = current_database()"
    ).fetchone()
    return int(row[0]), int(row[1])


@dataclass(frozen=True)
class Compaction:
    """What compact_build found in the build file and whether it rewrote it."""

    size_bytes: int
    free_share: float
    rebuilt: bool

    def describe(self) -> str:
        state = "rebuilt compactly" if self.rebuilt else "kept"
        size = self.size_bytes / 2**20
        return f"build file {size:,.0f} MB, {self.free_share:.0%} of its blocks free: {state}"


def compact_build(paths: WarehousePaths, free_share: float = COMPACT_FREE_SHARE) -> Compaction:
    """Rebuild the build file (a fresh copy of every schema, table, view, macro and comment, in
    RELEASE_STORAGE_VERSION) when more than ``free_share`` of its blocks are free (settings.COMPACT_FREE_SHARE
    says why not at every publish), or when it is in another storage version (a build file created before
    build files were created in RELEASE_STORAGE_VERSION: it is rewritten once, then kept). Publishing copies
    the build file's bytes, so this is what keeps releases bounded and readable by DuckDB 1.x clients."""
    with open_build_file(paths.build_file) as con:
        con.execute("CHECKPOINT")
        total, free = database_blocks(con)
        version = storage_version(con)
        share = free / total if total else 0.0
        found = paths.build_file.stat().st_size
        if version == RELEASE_STORAGE_VERSION and share <= free_share:
            return Compaction(found, share, rebuilt=False)
        fresh = paths.build_dir / "warehouse.compact.duckdb"
        fresh.unlink(missing_ok=True)
        source = con.execute("SELECT current_database()").fetchone()[0]
        con.execute(
            f"ATTACH {sql_string(str(fresh))} AS compact_copy (STORAGE_VERSION '{RELEASE_STORAGE_VERSION}')"
        )
        con.execute(f'COPY FROM DATABASE "{source}" TO compact_copy')
        con.execute("DETACH compact_copy")  # checkpoints: nothing is left in a WAL
    _fsync(fresh)
    os.replace(fresh, paths.build_file)
    return Compaction(found, share, rebuilt=True)


def read_history(paths: WarehousePaths) -> list[dict]:
    if not paths.history_file.exists():
        return []
    entries = []
    for line in paths.history_file.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):
            entries.append(json.loads(line))
    return entries


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries (the renames in it), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ReleaseCheckError(RuntimeError):
    """A release copy that does not open read-only, or not in RELEASE_STORAGE_VERSION: never published."""


def check_release_file(path: Path) -> None:
    """Open ``path`` as analysts will (read-only, locked down) and check its storage version, so a copy that
    a DuckDB 1.x client could not open is never published."""
    try:
        with connect_read_only(path) as con:
            con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
            version = storage_version(con)
    except duckdb.Error as error:
        raise ReleaseCheckError(f"the release copy {path} does not open read-only: {error}") from error
    if version != RELEASE_STORAGE_VERSION:
        raise ReleaseCheckError(
            f"the release copy {path} is in storage version {version or 'unknown'}, not "
            f"{RELEASE_STORAGE_VERSION}: DuckDB 1.x clients could not open it; refusing to publish it"
        )


def write_release_file(build_file: Path, target: Path) -> None:
    """``target``: a byte copy of the checkpointed ``build_file`` (already in RELEASE_STORAGE_VERSION and
    compact: compact_build), flushed, checked to open read-only in RELEASE_STORAGE_VERSION, and read-only.
    A plain file copy instead of a COPY FROM DATABASE into a new file: the same tables, comments and macros
    for a fraction of the CPU. A copy that fails the check is removed and the publish refused."""
    target.unlink(missing_ok=True)
    # The build file stays open (locked) while its bytes are copied: no other process can write to it
    # meanwhile, and after CHECKPOINT with no WAL the file on disk is the whole database.
    with open_build_file(build_file) as con:
        con.execute("CHECKPOINT")
        wal = build_file.with_name(build_file.name + ".wal")
        if wal.exists():
            raise RuntimeError(
                f"{wal} still exists after CHECKPOINT; refusing to publish a build with pending writes"
            )
        shutil.copyfile(build_file, target)
    try:
        _fsync(target)
        check_release_file(target)
        target_wal = target.with_name(target.name + ".wal")
        if target_wal.exists():
            raise ReleaseCheckError(f"{target_wal} exists after checking the release; refusing to publish it")
        target.chmod(0o444)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def parquet_select(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """SELECT of every column of ``schema.table`` as written to Parquet: PARQUET_CASTS applied, names kept."""
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
        "ORDER BY column_index",
        [schema, table],
    ).fetchall()
    items = []
    for name, data_type in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        cast = PARQUET_CASTS.get(data_type)
        items.append(f"{quoted}::{cast} AS {quoted}" if cast else quoted)
    return f'SELECT {", ".join(items)} FROM "{schema}"."{table}"'


def parquet_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every table and view written as Parquet, in name order."""
    return [
        (schema, name)
        for schema, name in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY 1, 2",
            [list(PARQUET_SCHEMAS)],
        ).fetchall()
    ]


def write_parquet(release: Path, folder: Path) -> list[Path]:
    """Every table of PARQUET_SCHEMAS in ``release`` as ``folder/<schema>.<table>.parquet``; each written
    under a temporary name, flushed, then renamed (a reader never sees half a file). Returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    # Read the release itself (what is published), plainly read-only: COPY TO needs external access.
    with duckdb.connect(str(release), read_only=True) as con:
        for schema, table in parquet_tables(con):
            final = folder / f"{schema}.{table}.parquet"
            partial = folder / f".{final.name}.partial"
            partial.unlink(missing_ok=True)
            con.execute(
                f"COPY ({parquet_select(con, schema, table)}) TO {sql_string(str(partial))} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            _fsync(partial)
            partial.chmod(0o444)
            os.replace(partial, final)
            written.append(final)
    _fsync(folder)
    return written


def _swap_link(link: Path, target: Path, published: Path) -> None:
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    os.replace(link, published)


def swap_pointers(paths: WarehousePaths, release: Path) -> None:
    """Point published_parquet, then the published name, at ``release`` (each one rename: readers never see a
    missing file). A release without Parquet (published before it existed) removes published_parquet, so it
    never names another release's files."""
    parquet = paths.release_parquet_dir(release.name)
    if parquet.is_dir():
        _swap_link(paths.next_parquet_link, parquet.relative_to(paths.marts_dir), paths.published_parquet)
    elif paths.published_parquet.is_symlink():
        paths.published_parquet.unlink()
    _swap_link(paths.next_link, release.relative_to(paths.marts_dir), paths.published)


def publish(paths: WarehousePaths, run_id: str, record: dict | None = None) -> Path:
    """Copy the checkpointed build (compacted, or rewritten into RELEASE_STORAGE_VERSION, when needed) into a
    new read-only release, write its Parquet copies, and point the published names at them."""
    step("publish         %s", compact_build(paths).describe())
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    release = paths.releases_dir / f"warehouse-{stamp}-{run_id[:8]}.duckdb"
    folder = paths.release_folder(release.name)
    with _writable(paths.releases_dir):
        partial = release.with_suffix(".partial")
        write_release_file(paths.build_file, partial)  # checked: opens read-only, right storage version
        os.replace(partial, release)
        _remove_folder(folder)  # a leftover of a killed publish of the same name
        parquet = paths.release_parquet_dir(release.name)
        write_parquet(release, parquet)
        parquet.chmod(0o555)
        folder.chmod(0o555)
        _fsync(paths.releases_dir)
        swap_pointers(paths, release)
        entry = {
            "release": release.name,
            "run_id": run_id,
            "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **(record or {}),
        }
        with paths.history_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        prune_releases(paths)
    return release


def _remove_folder(folder: Path) -> None:
    """Remove a release's folder (read-only like the release: made writable first)."""
    if not folder.exists():
        return
    for root, dirs, _ in os.walk(folder):
        os.chmod(root, 0o755)
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(folder)


def prune_releases(paths: WarehousePaths, keep: int = RELEASES_KEPT) -> None:
    """Keep the newest ``keep`` releases (and never the published one), each with its folder; remove the
    folders whose release is gone. Called with the releases folder writable."""
    current = paths.published.resolve()
    releases = sorted(paths.releases_dir.glob("warehouse-*.duckdb"))
    for old in releases[:-keep]:
        if old.resolve() != current:
            old.unlink()
            _remove_folder(paths.release_folder(old.name))
    for folder in paths.releases_dir.glob("warehouse-*"):
        if folder.is_dir() and not paths.release_file(folder.name + ".duckdb").exists():
            _remove_folder(folder)


def remove_unpublished(paths: WarehousePaths) -> list[str]:
    """`.partial` copies, releases that never became the published one (a refresh killed mid-copy or
    between the copy and the swap) and their folders. Without a history (folders from before it existed)
    every release up to the current one counts as published. Returns the names removed."""
    if not paths.releases_dir.is_dir():
        return []
    current = paths.published.resolve() if paths.published.exists() else None
    published = {e.get("release") for e in read_history(paths)}
    if not paths.history_file.exists():
        published = {
            p.name
            for p in paths.releases_dir.glob("warehouse-*.duckdb")
            if current and p.name <= current.name
        }
    stale = [p for p in paths.releases_dir.iterdir() if p.name.endswith((".partial", ".partial.wal"))]
    stale += [
        p
        for p in paths.releases_dir.glob("warehouse-*.duckdb")
        if p.name not in published and (current is None or p.resolve() != current)
    ]
    removed = {p.name for p in stale}
    folders = [
        f
        for f in paths.releases_dir.glob("warehouse-*")
        if f.is_dir()
        and (f.name + ".duckdb" in removed or not paths.release_file(f.name + ".duckdb").exists())
    ]
    if stale or folders:
        with _writable(paths.releases_dir):
            for path in stale:
                path.unlink(missing_ok=True)
            for folder in folders:
                _remove_folder(folder)
    for path in (paths.next_link, paths.next_parquet_link):
        path.unlink(missing_ok=True)
    (paths.build_dir / "warehouse.compact.duckdb").unlink(missing_ok=True)
    return [p.name for p in stale] + [f.name + "/" for f in folders]


def prune_files(files: list[Path], keep: int, keep_days: float) -> list[Path]:
    """Of ``files`` (oldest first by modification time), remove those beyond the newest ``keep`` and those
    older than ``keep_days`` (never the newest one). Folders are removed whole."""
    ordered = sorted(files, key=lambda p: p.stat().st_mtime)
    cutoff = time.time() - keep_days * 86400
    removed = []
    for index, path in enumerate(ordered):
        newest = index == len(ordered) - 1
        if newest or (index >= len(ordered) - keep and path.stat().st_mtime >= cutoff):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (symlinks not followed)."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


# ---- children that die with the refresh -----------------------------------------------------------------

GUARDED_DBT = """#!{python}
# Written by pipelines/assets/dbt.py for each refresh: dagster-dbt starts dbt with a plain subprocess.Popen,
# so this wrapper takes its own process group and arms the parent-death signal, then becomes dbt.
import os, sys

from pipelines.operations.lifetime import die_with_parent

os.setpgid(0, 0)
die_with_parent("UMKM_REFRESH_PID")
# dbt finds the project through DBT_PROJECT_DIR (set by dagster-dbt) and opens the build file by its name
# here, in the build folder (BUILD_FILE_NAME; pipelines/dbt_project.py says why).
os.chdir(os.path.dirname(os.path.abspath(__file__)))
os.execv({dbt!r}, [{dbt!r}, *sys.argv[1:]])
"""


def guarded_executable(paths: WarehousePaths, dbt: str, python: str) -> Path:
    """The dbt executable to hand to dagster-dbt: a wrapper under build/ that dies with the refresh."""
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    wrapper = paths.build_dir / "dbt-guarded"
    text = GUARDED_DBT.format(python=python, dbt=dbt)
    if not wrapper.exists() or wrapper.read_text() != text:
        partial = wrapper.with_suffix(".partial")
        partial.write_text(text)
        partial.chmod(0o755)
        os.replace(partial, wrapper)
    return wrapper


def mark_children(paths: WarehousePaths) -> None:
    """Environment every child of this refresh inherits: a later refresh recognises a leftover as ours, and
    the dbt wrapper checks that its parent is still this process."""
    os.environ[CHILD_MARKER] = str(paths.marts_dir)
    os.environ["UMKM_REFRESH_PID"] = str(os.getpid())
