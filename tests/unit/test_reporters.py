"""One reporter per format renders any command's report: findings, summary, tables."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option
from itsm_as_code.findings import Finding, Summary
from itsm_as_code.reporters import FORMATS, REPORTER_BY_NAME, Later, Report, Reporter, Row, Table

FINDINGS = [
    Finding("records/a.yaml", 3, 5, "schema", "title: must be text, not a list", "INC-1"),
    Finding("records/b,c.yaml", 1, 1, "reference", "50% of it | is <b>\nwrong: yes", None,
            "warning"),
]
SUMMARY = Summary("itsm validate", "2 problems", {"errors": 1})
CLOCKS = Table(("clock", "state"), [Row(("INC-1 response", "breached"), "\u274c"),
                                    Row(("REQ-22 resolution", "met"))],
               title="Clocks", note="most urgent first")


def test_the_four_formats_are_registered_by_name() -> None:
    assert FORMATS == ("text", "json", "markdown", "github")
    assert all(REPORTER_BY_NAME[name].name == name for name in FORMATS)


def test_text_is_path_line_column_level_message_rule() -> None:
    assert reporters.render(Report(SUMMARY, FINDINGS[:1]), "text") == (
        "records/a.yaml:3:5: error: title: must be text, not a list [schema]\n2 problems\n"
    )


def test_text_tables_are_aligned_columns_in_titled_sections() -> None:
    report = Report(SUMMARY, FINDINGS[:1], [CLOCKS, Table(("a", "b"), [Row(("1", "2"))])],
                    trailer=["see the site"])
    assert reporters.render(report, "text") == (
        "records/a.yaml:3:5: error: title: must be text, not a list [schema]\n"
        "Clocks\n"
        "  most urgent first\n"
        "  CLOCK              STATE\n"
        "  INC-1 response     breached\n"
        "  REQ-22 resolution  met\n"
        "A  B\n"
        "1  2\n"
        "2 problems\n"
        "see the site\n"
    )


def test_json_has_findings_and_summary() -> None:
    document = json.loads(reporters.render(Report(SUMMARY, FINDINGS), "json"))
    assert document["summary"] == {"errors": 1}
    assert document["findings"][0] == {
        "path": "records/a.yaml", "line": 3, "column": 5, "rule": "schema",
        "message": "title: must be text, not a list", "record": "INC-1", "level": "error",
    }


def test_json_is_the_document_when_the_command_gives_one() -> None:
    report = Report(SUMMARY, FINDINGS, document=[{"commit": "b\u00e9"}])
    assert reporters.render(report, "json") == '[\n  {\n    "commit": "b\u00e9"\n  }\n]\n'


def test_github_annotations_escape_properties_and_data() -> None:
    lines = reporters.render(Report(SUMMARY, FINDINGS), "github").splitlines()
    assert lines == [
        "::error file=records/a.yaml,line=3,col=5,title=schema::title: must be text, not a list",
        "::warning file=records/b%2Cc.yaml,line=1,col=1,title=reference::"
        "50%25 of it | is <b>%0Awrong: yes",
        "2 problems",
    ]


def test_github_annotates_only_the_chosen_findings() -> None:
    report = Report(SUMMARY, FINDINGS, annotations=FINDINGS[1:], trailer=["done"])
    assert reporters.render(report, "github").splitlines()[0].startswith("::warning ")
    assert reporters.render(report, "github").splitlines()[1:] == ["2 problems", "done"]


def test_markdown_table_escapes_cells() -> None:
    assert reporters.render(Report(SUMMARY, FINDINGS), "markdown") == (
        "### itsm validate\n\n2 problems\n\n"
        "| | File | Line | Rule | Message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| \u274c | records/a.yaml | 3 | schema | title: must be text, not a list |\n"
        "| \u26a0\ufe0f | records/b,c.yaml | 1 | reference "
        "| 50% of it \\| is &lt;b&gt; wrong: yes |\n"
    )


def test_markdown_without_findings_is_just_the_summary() -> None:
    assert reporters.render(Report(SUMMARY), "markdown") == "### itsm validate\n\n2 problems\n"


def test_markdown_tables_have_icons_only_when_a_row_has_one_and_a_limit() -> None:
    limited = Table(("a",), [Row(("x|y",)), Row(("z",))], markdown_limit=1,
                    left_out="{count} more")
    assert reporters.render(Report(SUMMARY, tables=[CLOCKS, limited]), "markdown") == (
        "### itsm validate\n\n2 problems\n\n"
        "#### Clocks\n\nmost urgent first\n\n"
        "|  | clock | state |\n| --- | --- | --- |\n"
        "| \u274c | INC-1 response | breached |\n"
        "|  | REQ-22 resolution | met |\n\n"
        "| a |\n| --- |\n| x\\|y |\n\n1 more\n"
    )


class Shouting(Reporter):
    name = "text"

    def render(self, report: Report) -> str:
        return report.summary.text.upper() + "\n"


def test_an_override_renders_its_format_and_leaves_the_others() -> None:
    report = Report(SUMMARY)
    assert reporters.render(report, "text", {"text": Shouting()}) == "2 PROBLEMS\n"
    assert reporters.render(report, "github", {"text": Shouting()}) == "2 problems\n"


def test_a_later_sequence_is_made_once_and_only_when_read() -> None:
    made: list[int] = []

    def make() -> list[int]:
        made.append(1)
        return [1, 2, 3]

    later = Later(make)
    assert made == []
    assert (len(later), later[0], list(later[1:]), list(later)) == (3, 1, [2, 3], [1, 2, 3])
    assert made == [1]


class Declared(Reporter):
    """A command's own format, for what `--format` says of it."""

    def render(self, report: Report) -> str:
        return report.summary.text + "\n"


class Comment(Declared):
    name = "markdown"
    help = "the pull request comment"


class Csv(Declared):
    name = "csv"
    help = "one row per account, for a spreadsheet"


@pytest.mark.parametrize(("choices", "overrides", "shown", "text"), [
    ((), {}, "[text|json|markdown|github]",
     "Output for people (text, markdown) or machines (json, github annotations)."),
    ((), {"csv": Csv(), "text": Shouting()}, "[text|json|markdown|github|csv]",
     "Output for people (text, markdown) or machines (json, github annotations); csv: one "
     "row per account, for a spreadsheet."),
    (("text", "markdown"), {"markdown": Comment()}, "[text|markdown]",
     "Output format: text, markdown; markdown: the pull request comment."),
    (("text", "json"), {}, "[text|json]", "Output format: text, json."),
])
def test_the_format_option_offers_the_shared_formats_and_the_commands_own(
        choices: tuple[str, ...], overrides: dict[str, Reporter], shown: str, text: str,
) -> None:
    @click.command()
    @format_option(*choices, overrides=overrides)
    def command(output_format: str) -> None:
        click.echo(output_format)

    help_text = " ".join(CliRunner().invoke(command, ["--help"]).output.split())
    assert f"--format {shown} {text} [default: text]" in help_text
    last = shown[1:-1].split("|")[-1]
    assert CliRunner().invoke(command, ["--format", last]).output == f"{last}\n"
