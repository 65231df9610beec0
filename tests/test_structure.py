"""The `structure` kind: missing lists, empty items and sections, placeholders, doubled words."""

from __future__ import annotations

import pytest

from healthlint.config import Config
from healthlint.diagnostic import Diagnostic
from healthlint.engine.linter import Linter
from tests.conftest import EVAL_DOCS, SHARED_SEEDS

LINTER = Linter(Config(rulesets=["structure"]))


def lint(text: str, name: str, rule: str) -> list[Diagnostic]:
    return [d for d in LINTER.lint_text(text, name) if d.rule == f"structure/{rule}"]


def matches(text: str, name: str, rule: str) -> list[str]:
    return [d.match for d in lint(text, name, rule)]


# ----------------------------------------------------------------------------- missing-list

LOST_LISTS = """\
Insulin helps the brain take up glucose. In clinical practice, poor sleep may reflect:

For patients in our program, metabolic screening can uncover treatable contributors.

Low iron has been associated with:

Addressing iron through diet and supplements may help some people feel less tired.

Therapies such as:

may work better when combined with attention to sleep and nutrition.
"""


@pytest.mark.parametrize("name", ["page.txt", "page.md"])
def test_intros_with_no_list_after_them_are_flagged(name: str) -> None:
    assert matches(LOST_LISTS, name, "missing-list") == [
        "In clinical practice, poor sleep may reflect:",
        "Low iron has been associated with:",
        "Therapies such as:",
    ]


def test_html_intro_with_a_paragraph_after_it_is_flagged() -> None:
    html = ("<h1>Joint care</h1><p>Our method works with your body. Here is why patients choose us:</p>\n"
            "<p>Book your free consultation today and take the first step toward feeling better.</p>")
    (finding,) = lint(html, "page.html", "missing-list")
    assert finding.match == "Here is why patients choose us:"
    assert finding.line == 1 and "introduces a list" in finding.message


def test_a_heading_that_starts_the_next_section_does_not_answer_an_intro() -> None:
    page = """<main><h2>Preparing for your visit</h2>
<p>Here are some questions to ask at your first appointment:</p>
<h2>About the author</h2><p>Dana writes about mental health for our clinic.</p>
<h2>How the program works</h2><p>The program has three parts:</p>
<h3>Nutrition</h3><p>A dietitian plans meals with you.</p>
<h3>Movement</h3><p>A coach builds a weekly routine.</p></main>"""
    assert matches(page, "page.html", "missing-list") == ["Here are some questions to ask at your first appointment:"]


def test_an_intro_at_the_very_end_of_the_document_is_flagged() -> None:
    text = "# Your first visit\n\nPlease arrive ten minutes early and bring the following:\n"
    (finding,) = lint(text, "page.md", "missing-list")
    assert finding.match == "Please arrive ten minutes early and bring the following:"
    assert "page ends here" in finding.message
    assert matches("<p>Before your visit, bring:</p>\n<!-- form goes here -->\n</body></html>",
                   "page.html", "missing-list") == ["Before your visit, bring:"]


@pytest.mark.parametrize(("name", "text"), [
    ("page.txt", "What to expect:\n\n  • A short consultation\n  • One outpatient injection\n"),
    ("page.md", "Here are some questions to ask your doctor:\n\n1. Which treatment fits me?\n2. What are the risks?\n"),
    ("page.html", "<p>IV therapy delivers:</p><ul><li>Fluids</li><li>Electrolytes</li></ul>"),
    ("page.md", "## Benefits:\n\n- Better sleep\n- More energy\n"),
    ("page.md", "## What to bring:\n\nYour insurance card and a list of the medicines you take.\n"),
    ("page.md", "Compare the options:\n\n| Option | Cost |\n|---|---|\n| Pills | $10 |\n"),
    ("page.md", "As one patient put it:\n\n> I finally slept through the night.\n"),
    ("page.md", "See how the dose changes over time:\n\n![Dose chart](chart.png)\n\nAsk us about it.\n"),
    ("page.html", "<p>Watch how it works:</p><iframe src='https://video.example/1'></iframe><p>Call us.</p>"),
    ("page.txt", "Sometimes treatments fail for reasons that pills cannot address:\n\nChronic infections\n\n"
                 "Infections can cause lasting inflammation.\n"),
    ("page.html", "<p>Hours:</p><p>Monday to Friday, 9 a.m. to 5 p.m.</p>"),
    ("page.md", "Call us:\n\n(555) 010-2040\n"),
    ("page.md", "The bottom line:\n\nVitamin D helps people with low levels and rarely anyone else.\n"),
    ("page.html", "<p>Symptoms include:</p><p>Tiredness and low mood.</p><p>Poor sleep.</p><p>Headaches.</p>"),
    ("page.html", "<p>Benefits include:<br>• Better sleep<br>• More energy</p>"),
    ("page.txt", "Here's what your doctor might not tell you: most supplements are not tested.\n"),
])
def test_answered_intros_and_labels_are_not_flagged(name: str, text: str) -> None:
    assert matches(text, name, "missing-list") == []


# ----------------------------------------------------------------------------- empty-list-item

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("page.md", "Each kit includes:\n\n- A 30-day supply\n-\n- A dosing guide\n", ["-"]),
    ("page.md", "1. Book online\n2.\n3. Arrive early\n", ["2."]),
    ("page.html", "<ul><li>Fluids</li><li></li><li>&nbsp;</li><li>Vitamins</li></ul>",
     ["<li></li>", "<li>&nbsp;</li>"]),
    ("page.txt", "Each kit includes:\n\n  • A 30-day supply\n  •\n  • A dosing guide\n", ["•"]),
    ("page.md", "- Gentle on the stomach\n- —\n", ["—"]),
])
def test_empty_list_items_are_flagged(name: str, text: str, expected: list[str]) -> None:
    assert matches(text, name, "empty-list-item") == expected


def test_menu_dividers_and_code_are_not_empty_items() -> None:
    html = '<ul><li>Home</li><li class="divider"></li><li>About</li></ul>'
    assert matches(html, "page.html", "empty-list-item") == []
    markdown = "- Step one\n\n```text\n-\n```\n\n- Step two\n"
    assert matches(markdown, "page.md", "empty-list-item") == []


@pytest.mark.parametrize(("name", "text"), [
    ("page.txt", "OUR CLINIC\n\nWe treat back pain with exercise plans.\n\n---\n\nCall us to book a visit.\n"),
    ("page.txt", "We treat back pain.\n\n* * *\n\nCall us to book.\n\n___\n\nHours: 9 to 5.\n"),
    ("page.html", "<p>We treat back pain.</p><p>---</p><p>Call us to book.</p><div>* * *</div><p>End.</p>"),
])
def test_separator_lines_are_not_empty_items(name: str, text: str) -> None:
    """A line of dashes or spaced asterisks is a flattened <hr>, not a bullet with nothing after it."""
    assert matches(text, name, "empty-list-item") == []
    # A lone mark in the same place still is an empty item.
    lone = text.replace("---", "—").replace("* * *", "•").replace("___", "–")
    assert matches(lone, name, "empty-list-item") != []


# ----------------------------------------------------------------------------- empty-section

def test_a_heading_with_nothing_under_it_is_flagged() -> None:
    text = "# Ketamine care\n\nIntro.\n\n## Side effects\n\n## Dosage\n\nOne infusion a week.\n\n## FAQ\n"
    assert [(d.match, d.line) for d in lint(text, "page.md", "empty-section")] == [
        ("Side effects", 5), ("FAQ", 11)]
    html = "<h2>Pricing</h2>\n<h2>Reviews</h2><p>Five stars.</p>"
    assert matches(html, "page.html", "empty-section") == ["Pricing"]


def test_subsections_widgets_and_plain_text_are_not_empty_sections() -> None:
    assert matches("## Services\n\n### IV hydration\n\nFluids over 45 minutes.\n", "page.md", "empty-section") == []
    assert matches("## Video\n\n![Clinic tour](tour.png)\n\n## Prices\n\nFrom $99.\n", "page.md", "empty-section") == []
    html = '<h2>Reviews</h2><div id="reviews-widget"></div><h2>Contact</h2><p>Call us.</p>'
    assert matches(html, "page.html", "empty-section") == []
    # Plain-text headings are guesses from layout (a byline looks like one): not checked.
    assert matches("Dr. Jane Roe, MD\n\nMedical Director\n\nSome text here.\n", "page.txt", "empty-section") == []


# ----------------------------------------------------------------------------- placeholder-text

@pytest.mark.parametrize(("text", "expected"), [
    ("Lorem ipsum dolor sit amet, consectetur.", ["Lorem ipsum", "dolor sit amet"]),
    ("Call [insert clinic phone] to book.", ["[insert clinic phone]"]),
    ("Each bottle costs {{ price }}.", ["{{ price }}"]),
    ("Dosage: TBD. TODO check with pharmacist.", ["TBD", "TODO"]),
    ("Save XX% today, only $XX.XX a month. Ref XXX.", ["XX%", "$XX.XX", "XXX"]),
    ("Our clinic in [City] is open daily.", ["[City]"]),
])
def test_placeholders_are_flagged(text: str, expected: list[str]) -> None:
    assert matches(text, "page.md", "placeholder-text") == expected


def test_placeholders_in_comments_and_code_are_not_prose() -> None:
    html = "<p>Each bottle lasts a month.</p><!-- TODO: add the dosing table, lorem ipsum -->"
    assert matches(html, "page.html", "placeholder-text") == []
    markdown = "Each bottle lasts a month.\n\n<!-- TBD -->\n\n```\n{{ price }}\n```\n"
    assert matches(markdown, "page.md", "placeholder-text") == []
    assert matches("Ask about our todo list app and Super Bowl specials.", "page.md", "placeholder-text") == []


# ----------------------------------------------------------------------------- repeated-word

@pytest.mark.parametrize(("text", "expected"), [
    ("Magnesium helps the the body relax.", ["the the"]),
    ("The the first visit is free.", ["The the"]),
    ("Talk to your doctor before you\nyou start.", ["you\nyou"]),
    ("Zinc <strong>can</strong> can shorten a cold.", ["can</strong> can"]),
])
def test_doubled_words_are_flagged(text: str, expected: list[str]) -> None:
    name = "page.html" if "<" in text else "page.md"
    assert matches(text, name, "repeated-word") == expected


def test_deliberate_doubles_are_not_flagged() -> None:
    for text in ("What she had had for breakfast mattered.", "He said that that dose was too high.",
                 "We ship to Walla Walla every week.", "Heading one\n\nOne more paragraph."):
        assert matches(text, "page.md", "repeated-word") == [], text


# ----------------------------------------------------------------------------- labelled documents

@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared seeds not present")
def test_seed_002_intros_are_flagged() -> None:
    seed = next(SHARED_SEEDS.glob("002_*.txt"))
    found = [d.match for d in LINTER.lint_paths([str(seed)]).diagnostics if d.rule == "structure/missing-list"]
    for text in ("apparent resistance may reflect:", "metabolic health directly influences:",
                 "insulin resistance is associated with:", "Low mitochondrial efficiency may contribute to:",
                 "Inflammation has also been linked to:", "Gut-brain dysregulation has been associated with:",
                 "Modalities such as:"):
        assert any(text in match for match in found), text
    assert len(found) == 7


@pytest.mark.skipif(not EVAL_DOCS.is_dir(), reason="eval documents not present")
def test_eval_documents_flag_only_the_dangling_intro() -> None:
    paths = sorted(str(p) for p in EVAL_DOCS.iterdir())
    found = [(d.path.rsplit("/", 1)[-1], d.match) for d in LINTER.lint_paths(paths).diagnostics]
    assert found == [("stem-cell-clinic.txt", "Here is why patients choose us:")]
    seed = next(SHARED_SEEDS.glob("000_*.txt"))
    assert [d for d in LINTER.lint_paths([str(seed)]).diagnostics if d.category == "structure"] == []


def test_a_structure_rule_needs_a_known_check(tmp_path) -> None:
    from healthlint.engine.rulesets import load_ruleset
    from healthlint.errors import RulesetError
    from tests.conftest import write

    path = write(tmp_path / "bad.yaml", (
        "ruleset: bad\nrules:\n  - id: x\n    kind: structure\n    category: structure\n"
        "    message: Fix it.\n    check: missing-bullets\n"))
    with pytest.raises(RulesetError) as error:
        load_ruleset(path)
    assert "check" in str(error.value) and "list-intro" in str(error.value)
