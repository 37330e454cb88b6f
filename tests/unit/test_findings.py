from __future__ import annotations

import json

from itsm_as_code.findings import (
    Finding,
    Summary,
    render_github,
    render_json,
    render_markdown,
    render_text,
)

FINDINGS = [
    Finding("records/a.yaml", 3, 5, "schema", "title: must be text, not a list", "INC-1"),
    Finding("records/b,c.yaml", 1, 1, "reference", "50% of it | is <b>\nwrong: yes", None,
            "warning"),
]
SUMMARY = Summary("itsm validate", "2 problems", {"errors": 1})


def test_text_is_path_line_column_level_message_rule() -> None:
    assert render_text(FINDINGS[:1], SUMMARY) == (
        "records/a.yaml:3:5: error: title: must be text, not a list [schema]\n2 problems\n"
    )


def test_json_has_findings_and_summary() -> None:
    document = json.loads(render_json(FINDINGS, SUMMARY))
    assert document["summary"] == {"errors": 1}
    assert document["findings"][0] == {
        "path": "records/a.yaml", "line": 3, "column": 5, "rule": "schema",
        "message": "title: must be text, not a list", "record": "INC-1", "level": "error",
    }


def test_github_annotations_escape_properties_and_data() -> None:
    lines = render_github(FINDINGS, SUMMARY).splitlines()
    assert lines[0] == (
        "::error file=records/a.yaml,line=3,col=5,title=schema::title: must be text, not a list"
    )
    assert lines[1] == (
        "::warning file=records/b%2Cc.yaml,line=1,col=1,title=reference::"
        "50%25 of it | is <b>%0Awrong: yes"
    )


def test_markdown_table_escapes_cells() -> None:
    text = render_markdown(FINDINGS, SUMMARY)
    assert text.startswith("### itsm validate\n\n2 problems\n\n| | File | Line | Rule | Message |")
    assert "| records/b,c.yaml | 1 | reference | 50% of it \\| is &lt;b&gt; wrong: yes |" in text


def test_markdown_without_findings_is_just_the_summary() -> None:
    assert render_markdown([], SUMMARY) == "### itsm validate\n\n2 problems\n"
