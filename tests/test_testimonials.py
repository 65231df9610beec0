"""Testimonial detection on copy written for the project: quotes, signed reviews, ratings, crowds."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.config import Config
from healthlint.diagnostic import Diagnostic
from healthlint.engine.linter import Linter
from tests.conftest import EVAL_DOCS, SEEDS, needs_shared

LINTER = Linter(Config(), select=["testimonials"])


def lint(text: str, path: str = "page.md") -> list[Diagnostic]:
    return LINTER.lint_text(text, path)


def flagged(text: str, path: str = "page.md") -> list[str]:
    """The prose each finding covers, whitespace collapsed."""
    return [" ".join(d.match.split()) for d in lint(text, path)]


# ------------------------------------------------------------------ quotations
@pytest.mark.parametrize(("text", "covered"), [
    ('> "I was off my sleeping pills in ten days. NightOwl changed my life!"\n> — Dana P., Tucson\n',
     "I was off my sleeping pills in ten days."),
    ('"My whole family took it all winter and nobody got sick once!" – Priya, mother of two\n',
     "nobody got sick once!"),
    ("“After my second infusion the fog lifted.” — Luis R.\n", "After my second infusion the fog lifted."),
    ('Many clients tell us "I wish I had started this years ago, I finally sleep through the night."\n',
     "I finally sleep through the night."),
    ('"Best clinic in town. Highly recommend!" -- Marcus\n', "Best clinic in town."),
    ('"The pain in my knees is gone," says Alma, 61.\n', "The pain in my knees is gone,"),
])
def test_quoted_testimonials_are_flagged_and_covered(text: str, covered: str) -> None:
    found = flagged(text)
    assert any(covered in f for f in found), found


def test_blockquote_without_quotation_marks() -> None:
    text = "## Stories\n\n> After three sessions my anxiety finally eased and I went back to work.\n> — Kim, Portland\n"
    [finding] = lint(text)
    assert finding.rule == "testimonials/quoted-testimonial"
    assert "my anxiety finally eased" in finding.match and "Kim, Portland" in finding.match


def test_html_review_cards() -> None:
    page = """<h2>Patient Reviews</h2>
<div class="review"><p>I was skeptical at first, but after my third session I felt like myself again.</p>
<p class="author">&mdash; Jessica M.</p></div>
<blockquote><p>&ldquo;My migraines are gone and I sleep through the night.&rdquo;</p></blockquote>
<p class="author">Maria G., Mesa</p>"""
    found = flagged(page, "page.html")
    assert any("I felt like myself again" in f for f in found)
    assert any("My migraines are gone" in f for f in found)


def test_unquoted_story_in_a_testimonial_section() -> None:
    text = "## What our patients say\n\nAfter my third session the fog lifted. I sleep through the night again.\n"
    [finding] = lint(text)
    assert finding.match.startswith("After my third session")


def test_signed_review_without_quotes() -> None:
    text = "# Reviews of the clinic\n\nThe infusions worked for me when nothing else did. — Renee, Boise\n"
    assert flagged(text) == ["The infusions worked for me when nothing else did. — Renee, Boise"]


@pytest.mark.parametrize("text", [
    # Quoted phrases in an article are not stories of results.
    'They have been told to "give it more time," "try a higher dose," or "add another medication."\n',
    'Many people with depression say they feel "stuck" or "empty."\n',
    'Patients describe it as "tried everything."\n',
    # An expert's quote is a claim for the claim and citation rules, not a customer story.
    '"Ketamine works quickly for some of my patients," says Dr. Ana Ruiz, MD.\n',
    '"I have seen patients recover after years of pain." — Dr. Omar Haddad\n',
    # First person without quotes, attribution or a testimonial section: the author writing.
    "I have worked with patients for twenty years, and recovery takes time. I recommend patience.\n",
    # A testimonial heading with nothing under it, and a statistic.
    "## What our patients say\n\n## Prices\n\nOne session is $400.\n",
    "A 2021 study found that 87% of patients had less pain after one year. Here is why patients choose us:\n",
    # Patients quoted in a health article describing symptoms, not selling.
    "“I felt like I was drowning,” says one patient. “My energy crashes every afternoon.”\n",
    'Another reader told us: "I can\'t sleep through the night, and my hope was gone."\n',
    '"I have never felt so depressed in my life," said Ana, 34.\n',
])
def test_not_testimonials(text: str) -> None:
    assert lint(text) == []


# ------------------------------------------------------------------ ratings and crowds
@pytest.mark.parametrize(("text", "rule"), [
    ("★★★★★ Rated 4.9 by over 2,000 happy clients.\n", "testimonials/star-rating"),
    ("Our patients give us 4.8 out of 5 stars.\n", "testimonials/star-rating"),
    ("Rated 4.9/5 from 312 Google reviews.\n", "testimonials/star-rating"),
    ("Thousands of happy customers are living proof that it works.\n", "testimonials/social-proof"),
    ("Thousands of satisfied customers can't be wrong.\n", "testimonials/social-proof"),
    ("Join over 10,000 patients who have found relief.\n", "testimonials/social-proof"),
    ("Trusted by 50,000+ families across Texas.\n", "testimonials/social-proof"),
    ("Our patients say they feel like themselves again within days.\n", "testimonials/patients-say"),
])
def test_ratings_and_crowd_appeals_cover_the_sentence(text: str, rule: str) -> None:
    found = [d for d in lint(text) if d.rule == rule]
    assert found, text
    assert found[0].match == text.strip()


def test_customer_stories_in_the_advertisers_voice() -> None:
    assert [d.rule for d in lint("Our patient Sarah lost 40 pounds in three months.\n")] == [
        "testimonials/customer-story"]
    assert lint("Maria came to us after ten years of migraines. Today she works full time.\n")
    assert not lint("Our patients come from across the state.\n")


@pytest.mark.parametrize("text", [
    "Rate your pain from 0 to 10 before each visit.\n",
    "Thousands of people take vitamin D, but most do not need it.\n",
    "Patients often report fatigue and headaches as early symptoms.\n",
    "## What our clients say\n",
    "Customers can return unopened bottles within 30 days.\n",
])
def test_ratings_and_crowds_negatives(text: str) -> None:
    assert lint(text) == []


def test_one_finding_per_sentence_per_rule() -> None:
    text = "★★★★★ Rated 4.9 — five-star reviews from 2,000 happy clients.\n"
    rules = [d.rule for d in lint(text)]
    assert sorted(rules) == ["testimonials/social-proof", "testimonials/star-rating"]


# ------------------------------------------------------------------ labelled pages
@needs_shared
def test_labelled_testimonials_are_covered() -> None:
    spans = {
        EVAL_DOCS / "supplement-page.md": "I was off my anxiety medication in two weeks.",
        EVAL_DOCS / "ketamine-clinic.html": "After three infusions my depression was simply gone.",
        EVAL_DOCS / "immunity-drops.html": "living proof that it works",
        SEEDS / "revive-iv-ketamine.md": "the fog lifted and it never came back",
    }
    for path, label in spans.items():
        text = path.read_text(encoding="utf-8")
        start = text.index(label)
        diagnostics = LINTER.lint_paths([str(path)]).diagnostics
        found = [d for d in diagnostics if d.start < start + len(label) and start < d.end]
        assert found, path.name


def test_careful_pages_have_no_testimonials() -> None:
    for path in (EVAL_DOCS / "careful-article.md", EVAL_DOCS / "depression-treatment-guide.md",
                 EVAL_DOCS / "stem-cell-clinic.txt", SEEDS / "iron-and-fatigue.md",
                 SEEDS / "panic-attacks-explained.md"):
        assert LINTER.lint_paths([str(path)]).diagnostics == [], path.name


def test_review_cards_in_the_cbd_seed() -> None:
    found = LINTER.lint_paths([str(SEEDS / "serenity-cbd-gummies.html")]).diagnostics
    assert [d.rule for d in found] == ["testimonials/quoted-testimonial", "testimonials/quoted-testimonial",
                                       "testimonials/star-rating"]
    assert found[0].match.startswith("I take one after work")  # signed in the next block, "— Claire D."
    assert "My racing thoughts quieted down" in found[1].match
    assert found[2].match.startswith("&#9733;")  # the match is the source text, entities and all


def test_findings_are_not_shared_between_runs() -> None:
    # results-vary reads these findings too; each caller gets its own copies.
    text = '"My knee pain is gone!" — Ron, Austin\n'
    first, second = lint(text), lint(text)
    assert first == second and first[0] is not second[0]


def test_each_caller_of_a_rule_on_one_document_gets_its_own_findings() -> None:
    # The first caller (results-vary, or the linter) gets the findings, later callers copies.
    from healthlint.document.load import parse

    rule = next(r for r in LINTER.rules if r.id == "testimonials/quoted-testimonial")
    document = parse("page.md", '"My knee pain is gone!" — Ron, Austin\n\n"I sleep again." — Dee, Reno\n')
    first, second = list(rule.check(document, LINTER.context)), list(rule.check(document, LINTER.context))
    assert len(first) == 2 and first == second
    assert all(a is not b for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize("text", [
    "I finally sleep through the night. — Dana, Austin",
    "Well-being matters -- and so does a second opinion ~ Dr. Lee - Jan -- Reno",
    "—Starts with a dash – then an en dash – and a tilde ~ and a hyphen - here -",
    "No dashes at all in this block.",
    " - ",
])
def test_signature_dashes_are_found_as_the_dash_regex_finds_them(text: str) -> None:
    from healthlint.kinds.testimonial import DASH, _dashes

    assert [m.span() for m in _dashes(text)] == [m.span() for m in DASH.finditer(text)]


def test_section_headings_are_matched_at_their_start_when_every_alternative_is_anchored(tmp_path: Path) -> None:
    rule = next(r for r in LINTER.rules if r.id == "testimonials/quoted-testimonial")
    assert rule.sections_anchored  # the built-in headings all start with ^
    ruleset = tmp_path / "house.yaml"
    ruleset.write_text("""\
ruleset: house
rules:
  - id: reviews
    kind: testimonial
    category: testimonial
    message: m
    voice: \\b(?:I|my)\\b
    outcome: \\b(?:gone|better)\\b
    sections: ['^\\W*reviews', 'from\\s+our\\s+patients']
""", encoding="utf-8")
    house = Linter(Config(rulesets=[str(ruleset)]), select=["house"])
    assert not house.rules[0].sections_anchored  # "from our patients" may come anywhere in a heading
    page = "## Stories from our patients\n\nMy back pain is gone, I feel better every day.\n"
    assert [d.rule for d in house.lint_text(page, "page.md")] == ["house/reviews"]
