import pytest

from sockpuppet.load.layouts import (
    IO_TWEETS,
    IO_USERS,
    IRA_15,
    IRA_21,
    SHARE_MULTI,
    SHARE_SINGLE,
    detect_layout,
    parse_header,
)


@pytest.mark.parametrize(
    ("header", "name", "variant"),
    [
        (IO_TWEETS, "io-tweets", ""),
        (IO_USERS, "io-users", ""),
        (IRA_15, "ira-csv", "ira-15"),
        (IRA_21, "ira-csv", "ira-21"),
        (SHARE_SINGLE, "share-events", "share-single"),
        (SHARE_MULTI, "share-events", "share-multi"),
    ],
)
def test_each_header_is_recognised(header, name, variant):
    quoted = ",".join(f'"{c}"' for c in header)
    layout = detect_layout(parse_header("\ufeff" + quoted + "\r\n"))
    assert layout is not None
    assert (layout.name, layout.variant) == (name, variant)


def test_format_restricts_the_layouts():
    assert detect_layout(list(IRA_15), "io-archive") is None
    assert detect_layout(list(IRA_15), "ira-csv").name == "ira-csv"


def test_unknown_header_matches_nothing():
    assert detect_layout(["a", "b"]) is None
