"""End-to-end `dag.test()` runs (SQLite metadata in the temp AIRFLOW_HOME from conftest.py).

Two tests, the only `dag.test()` runs of the suite:
- the wiring test runs every DAG with the stage functions replaced by recording stubs, so it
  checks mapping, pools, asset events, skips and the no-retry policy without the stages;
- the pipeline test runs ingest → build → detect → publish on a tiny IRA-layout archive with the
  real stages (skipped until they exist), then re-runs ingest and checks nothing was added.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sockpuppet.assets import CORE, DERIVED, DETECTION, FINDINGS
from sockpuppet.dag_defaults import WRITER_POOL, WRITER_POOL_DESCRIPTION

pytestmark = pytest.mark.slow

HEADER = (
    "external_author_id,author,content,region,language,publish_date,harvested_date,following,"
    "followers,updates,post_type,account_type,retweet,account_category,new_june_2018"
)


@pytest.fixture(scope="session")
def airflow_db(airflow_home):
    """Fresh metadata tables and the writer pool, once per session."""
    from airflow.models.pool import Pool
    from airflow.utils import db

    started = time.monotonic()
    db.resetdb()
    Pool.create_or_update_pool(
        WRITER_POOL, slots=1, description=WRITER_POOL_DESCRIPTION, include_deferred=False
    )
    print(f"airflow metadata ready in {time.monotonic() - started:.1f}s at {airflow_home}")
    return airflow_home


@pytest.fixture
def sockpuppet_env(tmp_path, monkeypatch):
    """Point the settings at temp paths (the stage functions read them via get_settings())."""
    from sockpuppet.settings import get_settings

    paths = {
        "SOCKPUPPET_WAREHOUSE": tmp_path / "warehouse" / "sockpuppet.duckdb",
        "SOCKPUPPET_LANDING": tmp_path / "landing",
        "SOCKPUPPET_OUT": tmp_path / "published",
    }
    for key, value in paths.items():
        monkeypatch.setenv(key, str(value))
    paths["SOCKPUPPET_LANDING"].mkdir()
    get_settings.cache_clear()
    yield {k.removeprefix("SOCKPUPPET_").lower(): v for k, v in paths.items()}
    get_settings.cache_clear()


def _dag(dag_id: str):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[2] / "dags"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags[dag_id]


def _run(dag_id: str, retries: int | None = None):
    """dag.test() one DAG; returns the run and {task_id: [states of its (mapped) instances]}.

    ``retries=0`` makes a failure surface at once instead of after the real backoff delays.
    """
    started = time.monotonic()
    dag = _dag(dag_id)
    if retries is not None:
        for t in dag.tasks:
            t.retries = retries
    dr = dag.test()
    states: dict[str, list[str]] = {}
    for ti in sorted(dr.get_task_instances(), key=lambda t: (t.task_id, t.map_index)):
        states.setdefault(ti.task_id, []).append(str(ti.state))
    print(f"{dag_id}: {dr.state} in {time.monotonic() - started:.1f}s {states}")
    return dr, states


def _asset_events(assets) -> int:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    uris = [a.uri for a in assets]
    with create_session() as session:
        return session.scalar(
            select(func.count())
            .select_from(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.uri.in_(uris))
        )


# --- the wiring, with stub stages ------------------------------------------------------------


def test_dag_wiring_with_stub_stages(airflow_db, sockpuppet_env, monkeypatch):
    from sockpuppet import pipeline

    landing: Path = sockpuppet_env["landing"]
    loaded: set[str] = set()
    calls: list[tuple] = []

    def find_new_files(landing_dir=None, settings=None):
        return sorted(str(p) for p in landing.iterdir() if p.name not in loaded)

    def ingest_file(path, fmt="auto", settings=None):
        calls.append(("ingest_file", Path(path).name))
        if "bad" in Path(path).name:  # the loader reports bad data as a failed load
            return [{"source": str(path), "status": "failed", "message": "truncated zip"}]
        loaded.add(Path(path).name)
        return [{"source": str(path), "status": "loaded", "rows_loaded": 3, "rows_quarantined": 0}]

    def build_partition(partition, settings=None):
        calls.append(("build_partition", partition))
        return f"parts/{partition}.parquet"

    def merge_partitions(parts, settings=None):
        calls.append(("merge_partitions", tuple(parts)))
        return {"partitions": len(parts)}

    def detect(settings=None):
        calls.append(("detect",))
        return {"clusters": 1}

    def publish(out=None, settings=None):
        calls.append(("publish",))
        return sockpuppet_env["out"] / "run-1"

    stubs = {
        "find_new_files": find_new_files,
        "ingest_file": ingest_file,
        "build_partitions": lambda settings=None: ["2016-01", "2016-02"],
        "build_partition": build_partition,
        "merge_partitions": merge_partitions,
        "detect": detect,
        "publish": publish,
    }
    for name, fn in stubs.items():
        monkeypatch.setattr(pipeline, name, fn)

    (landing / "a.csv").write_text("x")
    (landing / "b.csv").write_text("x")
    core_before = _asset_events(CORE)

    dr, states = _run("ingest_archives")
    assert str(dr.state) == "success"
    assert states["load_file"] == ["success", "success"]  # one mapped task per file
    assert states["mark_core_tables"] == ["success"]
    assert _asset_events(CORE) == core_before + len(CORE)

    # nothing new in the folder: no load, no asset event, the run still succeeds
    dr, states = _run("ingest_archives")
    assert str(dr.state) == "success"
    assert states["load_file"] == ["skipped"]
    assert states["mark_core_tables"] == ["skipped"]
    assert _asset_events(CORE) == core_before + len(CORE)

    # a bad file fails at once (no retry), the good one still loads and marks the core tables,
    # and the run is failed so someone looks at the log
    (landing / "bad.zip").write_text("x")
    (landing / "c.csv").write_text("x")
    dr, states = _run("ingest_archives")
    assert str(dr.state) == "failed"
    assert sorted(states["load_file"]) == ["failed", "success"]
    assert calls.count(("ingest_file", "bad.zip")) == 1
    assert states["mark_core_tables"] == ["success"]
    assert states["report_loads"] == ["upstream_failed"]
    assert _asset_events(CORE) == core_before + 2 * len(CORE)

    derived_before = _asset_events(DERIVED)
    dr, states = _run("build_coactivity")
    assert str(dr.state) == "success"
    assert states["build_partition"] == ["success", "success"]
    assert ("merge_partitions", ("parts/2016-01.parquet", "parts/2016-02.parquet")) in calls
    assert _asset_events(DERIVED) == derived_before + len(DERIVED)

    detection_before = _asset_events(DETECTION)
    assert str(_run("detect_operators")[0].state) == "success"
    assert _asset_events(DETECTION) == detection_before + len(DETECTION)

    findings_before = _asset_events([FINDINGS])
    assert str(_run("publish_findings")[0].state) == "success"
    assert str(_run("weekly_summary")[0].state) == "success"
    assert _asset_events([FINDINGS]) == findings_before + 2
    assert calls.count(("publish",)) == 2


# --- the real pipeline -------------------------------------------------------------------------


def _stages_missing() -> list[str]:
    """Stage functions the pipeline module calls that this checkout does not have yet."""
    import importlib
    import importlib.util

    needed = {
        "sockpuppet.load.ingest": ("ingest_paths", "find_new_files"),
        "sockpuppet.build": ("build_partitions", "build_partition", "merge_partitions"),
        "sockpuppet.detect": ("detect",),
        "sockpuppet.publish": ("publish",),
    }
    missing = []
    for module, names in needed.items():
        if importlib.util.find_spec(module) is None:
            missing.append(module)
            continue
        mod = importlib.import_module(module)
        missing += [f"{module}.{n}" for n in names if not hasattr(mod, n)]
    return missing


def _tiny_ira_archive(path: Path) -> None:
    """Four accounts retweeting the same texts minutes apart over two months, two organic ones."""
    rows = [HEADER]
    texts = [f"RT @news{i}: breaking story number {i} #tag{i % 3}" for i in range(6)]
    for month in (1, 2):
        for i, text in enumerate(texts):
            for a in range(4):
                rows.append(
                    f'{1000 + a},troll{a},"{text}",United States,English,'
                    f"{month}/{3 + i}/2016 10:{10 + a:02d},{month}/{3 + i}/2016 11:00,"
                    f"100,200,{50 + i},RETWEET,Right,1,RightTroll,0"
                )
        for a in range(2):
            rows.append(
                f'{2000 + a},organic{a},"my own words {month} {a}",United States,English,'
                f"{month}/20/2016 1{a}:00,{month}/20/2016 18:00,10,20,5,,local,0,LeftTroll,0"
            )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _row_counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            t: con.execute(f"select count(*) from {t}").fetchall()[0][0]  # noqa: S608 - fixed names
            for t in ("loads", "accounts", "posts", "post_entities")
        }
    finally:
        con.close()


def test_pipeline_dags_end_to_end(airflow_db, sockpuppet_env):
    missing = _stages_missing()
    if missing:
        pytest.skip(f"stages not in this checkout yet: {', '.join(missing)}")
    _tiny_ira_archive(sockpuppet_env["landing"] / "IRAhandle_tweets_1.csv")

    for dag_id in ("ingest_archives", "build_coactivity", "detect_operators", "publish_findings"):
        dr, states = _run(dag_id, retries=0)
        assert str(dr.state) == "success", (dag_id, states)

    before = _row_counts(sockpuppet_env["warehouse"])
    assert before["posts"] > 0 and before["accounts"] > 0
    published = sockpuppet_env["out"]
    assert published.is_dir() and any(published.iterdir())

    # the same files again: nothing new is found, nothing is added
    dr, states = _run("ingest_archives", retries=0)
    assert str(dr.state) == "success"
    assert states["load_file"] == ["skipped"]
    assert _row_counts(sockpuppet_env["warehouse"]) == before
    assert os.environ["SOCKPUPPET_WAREHOUSE"] == str(sockpuppet_env["warehouse"])
