"""report.html and summary.md: content, self-containment, and escaping of archive text."""

from __future__ import annotations

import re


def test_report_sections_and_credit(published):
    html = (published / "report.html").read_text()
    for heading in ("Overview", "What changed since the last run", "Clusters",
                    "Persona switches", "About the data and the method"):
        assert f">{heading}</h2>" in html
    assert "Cluster C0001 — 3 accounts, mostly RightTroll" in html
    assert "Linvill and Warren" in html or "Darren Linvill and Patrick Warren" in html
    assert "FiveThirtyEight" in html
    assert "silent 6 days" in html  # switch figure marks the silence found in the data


def test_report_is_self_contained(published):
    html = (published / "report.html").read_text()
    assert html.count("<script") == html.count("</script>")
    # plotly.js once, then one plot call per figure: 1 sizes + 2×2 clusters + 1 switch
    assert len(re.findall(r"plotly\.js v\d", html)) == 1
    assert html.count("Plotly.newPlot(") == 6
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # plotly.js has URLs in code
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", markup)
    assert "<link" not in markup and "@import" not in markup
    assert "cdn.plot.ly" not in markup
    assert "default-src 'none'" in html  # CSP: the browser refuses any request


def test_archive_text_is_escaped(published, hostile):
    html = (published / "report.html").read_text()
    assert hostile["xss"] not in html
    assert hostile["img"] not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html  # jinja2 tables
    # inside figure JSON: escaped by us (&lt;) before plotly's own JSON escaping (\u002f)
    assert "\\u003cscript" not in html
    assert '&lt;script&gt;alert(\\"pwned\\")&lt;\\u002fscript&gt;' in html


def test_summary_md(published, hostile):
    md = (published / "summary.md").read_text()
    assert md.startswith("# Shared-operator clusters")
    assert "**2 clusters**" in md and "**1 persona switch**" in md
    assert hostile["xss"] not in md and "\\<script\\>" in md
    assert "\x07" not in md
    assert "FiveThirtyEight" in md


def test_first_run_with_only_new_clusters_says_so_in_one_line(published):
    html = (published / "report.html").read_text()
    changes = html.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "clusters is new: no earlier run had found them" in changes
    assert "<table" not in changes
