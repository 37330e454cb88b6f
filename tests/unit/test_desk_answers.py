"""A submitted form's answers, read back and typed by their fields."""

from __future__ import annotations

from itsm_as_code.desk.answers import read_answers, sections
from itsm_as_code.desk.mail import html_text, without_quotes
from itsm_as_code.model.types.catalogue import FormField
from tests.helpers import context, person

FIELDS = (
    FormField("count", "How many", "number", True),
    FormField("when", "Needed by", "date"),
    FormField("os", "Systems", "multichoice", options=("Linux, Debian", "macOS", "Windows")),
    FormField("buddy", "Who helps", "person"),
    FormField("ok", "Agreed", "checkbox", True),
    FormField("code", "Cost centre", "text", pattern=r"CC-[0-9]{4}"),
)


def read(given: dict[str, str | None]) -> tuple[dict[str, object], list[str]]:
    ctx = context(person("ada", github="ada-gh", email="Ada@Example.com"))
    found = read_answers(FIELDS, given, ctx.model)
    return dict(found.answers), found.problems


def test_each_type_is_read_as_github_renders_it() -> None:
    answers, problems = read({"count": "2", "when": "2026-12-01",
                              "os": "Linux, Debian, Windows", "buddy": "@ADA-gh",
                              "ok": "- [X] I agree", "code": "CC-1234"})
    assert problems == []
    assert answers == {"count": 2, "when": "2026-12-01", "os": ("Linux, Debian", "Windows"),
                       "buddy": "ada", "ok": True, "code": "CC-1234"}
    assert read({"count": "1.5", "buddy": "ada@example.com", "ok": "- [x] yes"})[0] == {
        "count": 1.5, "buddy": "ada", "ok": True}


def test_wrong_answers_say_what_to_write() -> None:
    assert read({"count": "two", "when": "1 Dec", "os": "BeOS", "buddy": "@nobody",
                 "ok": "- [ ] I agree", "code": "1234"})[1] == [
        '"How many" must be a number, such as 2 or 2.5, not `two`',
        '"Needed by" must be a date written YYYY-MM-DD, not `1 Dec`',
        '"Systems" must be some of: Linux, Debian, macOS, Windows',
        '"Who helps" names nobody we know (`@nobody`): give a colleague\'s GitHub login '
        "(@name), e-mail address or id",
        '"Agreed" is required: tick it',
        '"Cost centre" must be written as the pattern `CC-[0-9]{4}`']


def test_script_links_and_html_are_refused() -> None:
    assert read({"count": "1", "ok": "- [X] y", "code": "[x](javascript:alert(1))"})[1] == [
        '"Cost centre" holds a script link (javascript:, vbscript: or data:): remove it']


def test_sections_split_only_at_the_forms_headings() -> None:
    body = "### A\n\none\n### B? no\n\n### B\n\n_No response_\n"
    assert sections(body, ["A", "B"]) == ({"A": "one\n### B? no", "B": None}, [])


def test_html_mail_is_text_without_markup() -> None:
    html = ("<html><head><title>t</title><script>x()</script></head><body><p>Hi &amp; "
            "bye</p><div>&lt;b&gt;bold&lt;/b&gt;</div><blockquote>old</blockquote></body>")
    assert html_text(html) == "Hi & bye\n\n\u2039b\u203abold\u2039/b\u203a"
    assert without_quotes("Thanks!\n\nOn Mon, Ann wrote:\n> earlier\n> text") == "Thanks!"
