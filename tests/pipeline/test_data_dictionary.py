"""The data dictionary (pipelines/docs, `umkm docs`): what it reads from a hand-made manifest and catalog
(a missing label, values or example query is shown as missing, never invented), that the pages cannot be
broken by what a description says, that dbt's docs page is made offline; then, on the refreshed Balikpapan
sample, that every refresh writes it, that it lists every column of every published mart, and that both
pages load in headless Chromium without a single request beyond the page."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import signal
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.docs import dbt_docs, dictionary_files
from pipelines.docs.catalog import mart_tables, value_list
from pipelines.docs.dbt_docs import CSP_META, DbtDocsError, external_urls, offline
from pipelines.docs.render import MISSING, MISSING_LABEL, Context, default_query, to_html, to_markdown
from pipelines.quality.status import finish_refresh
from pipelines.warehouse import WarehousePaths, connect_published
from tests.reports.chromium import CHROMIUM, render

CONTEXT = Context(region="Kota Balikpapan (64.71)", built_at="2026-12-02 10:00 WITA", run_id="abc")


def _model(name: str, subject: str, schema: str = "marts", **extra) -> tuple[str, dict]:
    unique_id = f"model.umkm_warehouse.{name}"
    folder = ["marts", subject] if schema == "marts" else [schema, subject]
    return unique_id, {
        "resource_type": "model",
        "name": name,
        "alias": name,
        "schema": schema,
        "fqn": ["umkm_warehouse", *folder, name],
        **extra,
    }


def _manifest() -> dict:
    nodes = dict(
        [
            _model(
                "cooperatives",
                "cooperatives",
                description="One cooperative.",
                config={"meta": {"label_id": "Koperasi", "example_query": "SELECT 1"}},
                columns={
                    "jenis": {
                        "name": "jenis",
                        "description": "Type code.",
                        "config": {"meta": {"label_id": "Jenis koperasi"}},
                    },
                    "activity": {"name": "activity", "description": "Activity | state."},
                    "documented_only": {"name": "documented_only", "description": "Not built yet."},
                },
            ),
            _model(
                "msme_sectors",
                "msme",
                columns={
                    "sector_group": {
                        "name": "sector_group",
                        "meta": {"label_id": "Kelompok sektor", "values": {"kuliner": "Kuliner", "C": None}},
                    }
                },
            ),
            _model("stg_oss__permits", "oss", schema="staging"),
        ]
    )
    nodes["test.umkm_warehouse.accepted_values_cooperatives_activity"] = {
        "resource_type": "test",
        "attached_node": "model.umkm_warehouse.cooperatives",
        "column_name": "activity",
        "test_metadata": {
            "name": "accepted_values",
            "kwargs": {"column_name": "activity", "values": ["aktif", "tidak_aktif"]},
        },
    }
    return {"nodes": nodes}


def _catalog() -> dict:
    return {
        "nodes": {
            "model.umkm_warehouse.cooperatives": {
                "columns": {
                    "activity": {"name": "activity", "type": "VARCHAR", "index": 2},
                    "jenis": {"name": "jenis", "type": "VARCHAR", "index": 1},
                    "undocumented": {"name": "undocumented", "type": "BIGINT", "index": 3},
                }
            }
        }
    }


def test_marts_only_by_subject_with_every_built_and_documented_column() -> None:
    tables = mart_tables(_manifest(), _catalog())
    assert [t.relation for t in tables] == ["marts.msme_sectors", "marts.cooperatives"]  # UMKM first
    coops = tables[1]
    assert [c.name for c in coops.columns] == ["jenis", "activity", "undocumented", "documented_only"]
    jenis, activity, undocumented, documented_only = coops.columns
    assert (jenis.label, jenis.description, jenis.data_type) == ("Jenis koperasi", "Type code.", "VARCHAR")
    assert activity.values == [("aktif", None), ("tidak_aktif", None)]  # from the accepted_values test
    assert (undocumented.label, undocumented.description, undocumented.values) == (None, None, [])
    assert documented_only.data_type is None
    assert (coops.label, coops.example_query) == ("Koperasi", "SELECT 1")
    sectors = tables[0]
    assert sectors.columns[0].values == [("kuliner", "Kuliner"), ("C", None)]
    assert (sectors.label, sectors.description, sectors.example_query) == (None, None, None)


def test_without_a_catalog_the_documented_columns_are_listed() -> None:
    tables = mart_tables(_manifest(), None)
    assert [c.name for c in tables[1].columns] == ["jenis", "activity", "documented_only"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, []),
        ({"C": "Industri Pengolahan"}, [("C", "Industri Pengolahan")]),
        (["mikro", "kecil"], [("mikro", None), ("kecil", None)]),
        ([{"value": "aktif", "label_id": "Aktif"}], [("aktif", "Aktif")]),
        ([{"code": "C", "label": "Industri  Pengolahan"}], [("C", "Industri Pengolahan")]),
        ([{"sehat": "Sehat"}], [("sehat", "Sehat")]),
        ("KBLI 2020 categories A-U", [("KBLI 2020 categories A-U", None)]),
    ],
)
def test_values_in_every_shape_a_yml_may_give(values, expected) -> None:
    assert value_list(values) == expected


def test_pages_say_what_is_missing_and_escape_what_descriptions_say() -> None:
    manifest = _manifest()
    columns = manifest["nodes"]["model.umkm_warehouse.cooperatives"]["columns"]
    columns["jenis"]["description"] = "<script>alert(1)</script> a | b"
    tables = mart_tables(manifest, _catalog())
    html = to_html(tables, CONTEXT)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a | b" in html
    assert html.count(MISSING_LABEL) == 4  # msme_sectors (table); activity, undocumented, documented_only
    assert MISSING in html
    assert default_query(tables[0]) == "SELECT * FROM marts.msme_sectors LIMIT 10"
    assert "SELECT * FROM marts.msme_sectors LIMIT 10" in html and "SELECT 1" in html
    markdown = to_markdown(tables, CONTEXT)
    row = next(line for line in markdown.splitlines() if line.startswith("| `jenis`"))
    assert row.count(" | ") == 4  # five cells: the pipe in the description is escaped
    assert "a \\| b" in row
    assert "| `sector_group` |  | Kelompok sektor |" in markdown
    assert "`kuliner` = Kuliner; `C`" in markdown


def test_dbt_docs_page_made_offline() -> None:
    page = (
        '<!doctype html><html><HEAD lang="en"><link rel="shortcut icon" href="${require(\'./f.ico\')}"/>'
        '<script src="https://cdn.example/x.js"></script></head><body><script>var t = \'<svg>'
        '<use xlink:href="{{ getIcon(item.type) }}"></use></svg><img src="{{ logo }}">\';</script>'
        "</body></html>"
    )
    made = offline(page)
    assert made.index(CSP_META) == made.index("<HEAD") + len('<HEAD lang="en">')
    assert "default-src 'none'" in CSP_META and "connect-src 'none'" in CSP_META
    assert external_urls(made) == ["https://cdn.example/x.js"]  # blocked by the policy
    # No request for a file named by an unexpanded placeholder: Angular sets these once expanded.
    assert '<link rel="icon" href="data:,">' in made and "favicon" not in made and "require(" not in made
    assert '<use ng-attr-href="{{ getIcon(item.type) }}">' in made and 'ng-src="{{ logo }}"' in made
    assert not re.search(r'(?<![-\w])(src|xlink:href)="\{\{', made)
    with pytest.raises(DbtDocsError):
        offline("<html><body>no head</body></html>")


def test_the_dbt_child_started_early_is_the_one_generate_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """start_early's child (dbt imported ahead) runs generate's command: no second process, and what dbt
    says about a bad command comes back in the error."""
    paths = WarehousePaths(tmp_path / "marts")
    spawned = []
    real_spawn = dbt_docs._spawn
    monkeypatch.setattr(dbt_docs, "_spawn", lambda p: spawned.append(p) or real_spawn(p))
    dbt_docs.start_early(paths)
    with pytest.raises(DbtDocsError, match=r"exited 1: .*vars") as error:
        dbt_docs.generate(paths, "{not json")
    assert len(spawned) == 1 and paths.marts_dir not in dbt_docs._EARLY
    assert "Traceback" not in str(error.value)


def test_an_unused_early_dbt_child_ends_at_once(tmp_path: Path) -> None:
    """A refresh that stops before the dictionary ends the child it started (finish_refresh): killed without
    waiting for dbt's import, nothing run."""
    paths = WarehousePaths(tmp_path / "marts")
    dbt_docs.start_early(paths)
    child = dbt_docs._EARLY[paths.marts_dir]
    dbt_docs.stop_early(paths)
    assert child.returncode == -signal.SIGKILL and paths.marts_dir not in dbt_docs._EARLY
    assert not paths.dbt_target_dir.exists()
    dbt_docs.stop_early(paths)  # nothing left to end: no-op


def test_the_end_of_a_refresh_ends_an_early_dbt_child_it_did_not_use(tmp_path: Path) -> None:
    """finish_refresh, which every `umkm refresh` calls however its run ended, leaves no dbt child behind."""
    paths = WarehousePaths(tmp_path / "marts")
    dbt_docs.start_early(paths)
    child = dbt_docs._EARLY[paths.marts_dir]
    started = dt.datetime.now(dt.UTC)
    finish_refresh(paths, "run-stopped-after-dbt", started, False, ["publish"], tmp_path / "refresh.log")
    assert child.returncode == -signal.SIGKILL and paths.marts_dir not in dbt_docs._EARLY


def test_generate_starts_its_own_child_when_the_early_one_died(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = WarehousePaths(tmp_path / "marts")
    spawned = []
    real_spawn = dbt_docs._spawn
    monkeypatch.setattr(dbt_docs, "_spawn", lambda p: spawned.append(p) or real_spawn(p))
    dbt_docs.start_early(paths)
    dbt_docs._EARLY[paths.marts_dir].kill()
    dbt_docs._EARLY[paths.marts_dir].wait()
    with pytest.raises(DbtDocsError, match=r"exited 1: .*vars"):  # dbt's own answer, from a new child
        dbt_docs.generate(paths, "{not json")
    assert len(spawned) == 2


def test_umkm_docs_without_a_refresh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--marts-dir", str(tmp_path)]) == 1
    assert "no data dictionary" in capsys.readouterr().err


# ---- on the refreshed Balikpapan sample ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dictionary(balikpapan_warehouse: tuple[Path, Path]) -> WarehousePaths:
    return WarehousePaths(balikpapan_warehouse[1].resolve())


def test_umkm_docs_prints_the_three_files(dictionary: WarehousePaths, capsys) -> None:
    capsys.readouterr()
    assert main(["docs", "--marts-dir", str(dictionary.marts_dir)]) == 0
    printed = [line.split("  ", 1)[0] for line in capsys.readouterr().out.splitlines()]
    assert printed == [str(p) for p in dictionary_files(dictionary)]
    assert all(Path(p).stat().st_size > 1000 for p in printed)


def test_every_published_mart_column_is_in_the_dictionary(dictionary: WarehousePaths) -> None:
    with connect_published(dictionary) as con:
        published = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'marts' "
            "ORDER BY table_name, ordinal_position"
        ).fetchall()
    html = dictionary.dictionary_html.read_text(encoding="utf-8")
    shown = re.findall(r'<tr data-table="marts\.(\w+)"><td class="col" data-column="kolom">(\w+)</td>', html)
    assert shown and sorted(shown) == sorted(published)
    markdown = dictionary.dictionary_markdown.read_text(encoding="utf-8")
    for table in {t for t, _ in published}:
        assert f"### `marts.{table}`" in markdown
    assert len(re.findall(r"^\| `\w+` \|", markdown, flags=re.MULTILINE)) == len(published)


def test_dbt_docs_file_is_the_static_site_with_this_build(dictionary: WarehousePaths) -> None:
    text = dictionary.dbt_docs_file.read_text(encoding="utf-8")
    assert CSP_META in text[:2000]
    assert '"MANIFEST.JSON INLINE DATA"' not in text and '"CATALOG.JSON INLINE DATA"' not in text
    manifest = json.loads((dictionary.dbt_target_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["invocation_id"] in text  # the build's own manifest, not a re-parse
    assert '"send_anonymous_usage_stats": false' in text  # dbt's tracker stays off


def test_refresh_log_reports_the_dictionary_and_its_seconds(dictionary: WarehousePaths) -> None:
    log = max(dictionary.logs_dir.glob("refresh-*.log")).read_text(encoding="utf-8")
    line = next(line for line in log.splitlines() if " dictionary " in line)
    assert re.search(r"\d+ marts, \d+ columns .* \(\d+\.\d s\)$", line), line


chromium = pytest.mark.skipif(
    not shutil.which(CHROMIUM), reason="chromium not installed (apt-get install chromium; .ci/run does)"
)


@chromium
def test_dictionary_page_in_chromium(dictionary: WarehousePaths) -> None:
    page = dictionary.dictionary_html
    shown = render(page, evaluate="document.querySelectorAll('section[data-relation]').length")
    assert shown.errors == [] and shown.failed == []
    assert shown.requests == [page.resolve().as_uri()]
    assert shown.layout["lang"] == "id"
    with connect_published(dictionary) as con:
        marts = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'").fetchone()[0]
    assert shown.value == marts
    phone = render(page, width=390, height=844)
    assert phone.errors == [] and phone.layout["scrollWidth"] <= phone.layout["innerWidth"]


@chromium
def test_dbt_docs_page_in_chromium_makes_no_request(dictionary: WarehousePaths) -> None:
    """dbt's Angular app draws a mart's page from the manifest inside the file, with its icons, and asks for
    nothing but the page itself (its logo is a data: image)."""
    page = dictionary.dbt_docs_file
    wait = """new Promise(done => {
        location.hash = '#!/model/model.umkm_warehouse.msme_businesses';
        const t0 = Date.now();
        (function poll() {
            const text = document.body ? document.body.innerText : '';
            if (!text.includes('warehouse.marts.msme_businesses') && Date.now() - t0 < 30000) {
                return setTimeout(poll, 200);
            }
            const icons = [...document.querySelectorAll('.filename svg use')];
            done({text, icons: icons.filter(u => u.getBoundingClientRect().width > 0).length});
        })();
    })"""
    shown = render(page, evaluate=wait)
    assert "warehouse.marts.msme_businesses" in shown.value["text"]  # relation as published
    assert shown.value["icons"] > 0  # the tree's folder icons, bound by Angular
    assert shown.errors == [] and shown.failed == []
    assert [r for r in shown.requests if not r.startswith("data:")] == [page.resolve().as_uri()]
