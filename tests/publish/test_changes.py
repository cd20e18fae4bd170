"""What changed since the last run: unit rules, and two publishes with a changed cluster table."""

from __future__ import annotations

import json

import pytest

from sockpuppet.publish import publish
from sockpuppet.publish.changes import diff_clusters


def _by_id(rows):
    return {r["cluster_id"]: r for r in rows}


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        ({"C1": {"a", "b"}}, {"C1": {"a", "b"}}, {"C1": "persisting"}),
        ({"C1": {"a", "b"}}, {"C1": {"a", "b", "c"}}, {"C1": "grown"}),
        ({"C1": {"a", "b", "c"}}, {"C1": {"a", "b"}}, {"C1": "shrunk"}),
        ({"C1": {"a", "b"}}, {"C1": {"a", "c"}}, {"C1": "changed"}),
        ({"C1": {"a", "b"}}, {"C1": {"a", "b"}, "C2": {"x", "y"}},
         {"C1": "persisting", "C2": "new"}),
        ({"C1": {"a", "b"}, "C2": {"c", "d"}}, {"C1": {"a", "b", "c", "d"}},
         {"C1": "merged", "C2": None}),  # C2 lives on inside C1
        ({"C1": {"a", "b", "c", "d"}}, {"C1": {"a", "b"}, "C3": {"c", "d"}},
         {"C1": "split", "C3": "split"}),
        ({"C1": {"a", "b"}}, {"C9": {"a", "b", "c"}}, {"C9": "grown", "C1": None}),
        ({"C1": {"a", "b"}}, {}, {"C1": "dissolved"}),
    ],
)
def test_diff_rules(previous, current, expected):
    rows = _by_id(diff_clusters(previous, current))
    for cid, change in expected.items():
        if change is None:
            assert cid not in rows
        else:
            assert rows[cid]["change"] == change, rows


def test_without_previous_run_detection_status_is_used():
    rows = _by_id(diff_clusters(None, {"C1": {"a", "b"}, "C2": {"c", "d"}},
                                {"C1": "grown", "C2": None}))
    assert rows["C1"]["change"] == "grown" and rows["C1"]["basis"] == "detection"
    assert rows["C2"]["change"] == "new"


def test_publish_twice_shows_grown_and_new(settings, warehouse, rewrite_clusters):
    first = publish(settings.out, settings)
    rewrite_clusters(warehouse, settings, {
        "C0001": ["a1", "a2", "a3", "a7"],  # grown by one
        "C0002": ["a4", "a5", "a8"],        # unchanged
        "C0003": ["a6", "x-unknown"],       # new (an account with no posts at all)
    })
    second = publish(settings.out, settings)
    assert second != first and second.name > first.name

    findings = json.loads((second / "findings.json").read_text())
    assert findings["run"]["previous_run"] == first.name
    changes = _by_id(findings["changes"])
    assert changes["C0001"]["change"] == "grown"
    assert changes["C0001"]["previous_size"] == 3 and changes["C0001"]["joined"] == 1
    assert changes["C0002"]["change"] == "persisting"
    assert changes["C0003"]["change"] == "new"

    html = (second / "report.html").read_text()
    assert "Compared with the clusters of the previous published run" in html
    assert '<span class="tag grown">grown</span>' in html
    assert '<span class="tag new">new</span>' in html
    summary = (second / "summary.md").read_text()
    assert "C0001: **grown**, 4 accounts (was 3)" in summary
    assert "C0003: **new**" in summary
