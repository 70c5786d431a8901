"""The data dictionary written under the marts folder after each publish (`umkm docs` says where):

  dictionary/kamus_data.html   every mart and column: Indonesian label, meaning, values, example query
  dictionary/kamus_data.md     the same in Markdown
  dictionary/dbt_docs.html     the dbt docs site (lineage, SQL, tests) as one file that makes no request

All three come from the refresh's own dbt artifacts (build/dbt_target/: the build's manifest, and the catalog
`dbt docs generate` reads from the build file, identical to the release just published)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.docs import dbt_docs
from pipelines.docs.catalog import TableDoc, load_tables
from pipelines.docs.render import Context, to_html, to_markdown
from pipelines.settings import TIMEZONE, region_name
from pipelines.warehouse import WarehousePaths, connect_published_internal


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    tables: int = 0
    columns: int = 0
    described: int = 0
    labelled: int = 0
    seconds: float = 0.0


def dictionary_files(paths: WarehousePaths) -> dict[Path, str]:
    """What `umkm docs` points at, in the order it lists them, and what each is."""
    return {
        paths.dictionary_html: "kamus data (HTML): every mart column, label, meaning, values, example query",
        paths.dictionary_markdown: "kamus data (Markdown): the same",
        paths.dbt_docs_file: "dbt docs site in one offline file: lineage, SQL, tests",
    }


def _write(path: Path, text: str) -> Path:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)  # a reader with the page open never sees half a file
    return path


def write_pages(tables: list[TableDoc], context: Context, paths: WarehousePaths) -> list[Path]:
    paths.dictionary_dir.mkdir(parents=True, exist_ok=True)
    return [
        _write(paths.dictionary_html, to_html(tables, context)),
        _write(paths.dictionary_markdown, to_markdown(tables, context)),
    ]


def published_context(paths: WarehousePaths) -> Context:
    """Region, build time (WITA) and run of the published warehouse (meta.refresh), for the page's header."""
    with connect_published_internal(paths) as con:
        region_code, built_at, run_id = con.execute(
            "SELECT region_code, built_at, run_id FROM meta.refresh LIMIT 1"
        ).fetchone()
    return Context(
        region=f"{region_name(region_code)} ({region_code})",
        built_at=built_at.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M WITA"),
        run_id=run_id,
    )


def write_dictionary(paths: WarehousePaths, dbt_vars: str) -> Written:
    """dbt docs generate (static, reusing the build's manifest), then the dictionary pages from the same
    manifest and catalog."""
    started = time.monotonic()
    context = published_context(paths)
    static = dbt_docs.generate(paths, dbt_vars)
    target = paths.dbt_target_dir
    tables = load_tables(target / dbt_docs.MANIFEST, target / dbt_docs.CATALOG)
    files = write_pages(tables, context, paths)
    files.append(dbt_docs.write_offline(static, paths.dbt_docs_file))
    columns = [c for t in tables for c in t.columns]
    return Written(
        files=files,
        tables=len(tables),
        columns=len(columns),
        described=sum(1 for c in columns if c.description),
        labelled=sum(1 for c in columns if c.label),
        seconds=time.monotonic() - started,
    )
