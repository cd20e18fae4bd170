"""`sockpuppet run --default` (what `make run` calls) without the shared sample: a generated one."""

from __future__ import annotations

from sockpuppet.cli import main


def test_run_default_generates_a_sample_when_the_shared_one_is_absent(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCKPUPPET_SAMPLE_ARCHIVE", str(tmp_path / "absent"))
    warehouse = tmp_path / "wh" / "sockpuppet.duckdb"
    code = main(["run", "--default", "--warehouse", str(warehouse), "--out", str(tmp_path / "pub")])
    out = capsys.readouterr().out
    assert code == 0
    assert "generating a sample archive" in out
    assert "largest clusters:" in out and "accounts on" in out
    assert (warehouse.parent / "generated-sample" / "truth.csv").exists()
    report = out.split("report:", 1)[1].strip().splitlines()[0].strip()
    assert report.endswith("report.html") and (tmp_path / "pub").exists()
    assert (tmp_path / "pub" / "latest" / "report.html").exists()
