import polars as pl

from sockpuppet.detect.stable_ids import assign_ids, format_id


def current(groups: dict[int, list[str]]) -> pl.DataFrame:
    rows = [(a, c) for c, accs in groups.items() for a in accs]
    return pl.DataFrame(rows, schema={"account_id": pl.String, "cluster": pl.Int64}, orient="row")


def previous(groups: dict[str, list[str]]) -> pl.DataFrame:
    rows = [(c, a) for c, accs in groups.items() for a in accs]
    return pl.DataFrame(rows, schema={"cluster_id": pl.String, "account_id": pl.String},
                        orient="row")


def as_dict(ids: pl.DataFrame) -> dict[int, tuple[str, str]]:
    return {c: (i, s) for c, i, s in ids.select("cluster", "cluster_id", "status").iter_rows()}


A = [f"a{i}" for i in range(6)]
B = [f"b{i}" for i in range(6)]


def test_first_run_numbers_clusters_in_label_order():
    ids = assign_ids(current({0: A, 1: B}), previous({}), min_jaccard=0.2)
    assert as_dict(ids) == {0: ("C0001", "new"), 1: ("C0002", "new")}


def test_persisting_grown_and_shrunk_keep_their_ids():
    prev = previous({"C0007": A, "C0003": B})
    ids = assign_ids(current({0: A + ["n1", "n2"], 1: B[:4], 2: ["x1", "x2"]}), prev,
                     min_jaccard=0.2, last_number=9)
    assert as_dict(ids) == {
        0: ("C0007", "grown"), 1: ("C0003", "shrunk"), 2: ("C0010", "new")
    }
    same = assign_ids(current({0: B, 1: A}), prev, min_jaccard=0.2, last_number=9)
    assert as_dict(same) == {0: ("C0003", "persisting"), 1: ("C0007", "persisting")}


def test_merge_keeps_the_best_matching_id_and_retires_the_other():
    prev = previous({"C0001": A, "C0002": B[:3]})
    ids = assign_ids(current({0: A + B[:3]}), prev, min_jaccard=0.2, last_number=2)
    assert as_dict(ids) == {0: ("C0001", "merged")}


def test_split_parts_one_keeps_the_id_the_other_is_new():
    prev = previous({"C0004": A + B})
    ids = assign_ids(current({0: A, 1: B[:5]}), prev, min_jaccard=0.2, last_number=4)
    assert as_dict(ids) == {0: ("C0004", "split"), 1: ("C0005", "split")}


def test_ids_are_never_reused():
    prev = previous({"C0002": A})
    ids = assign_ids(current({0: ["q1", "q2"]}), prev, min_jaccard=0.2, last_number=12)
    assert as_dict(ids) == {0: (format_id(13), "new")}
