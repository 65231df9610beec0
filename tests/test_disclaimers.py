"""Missing disclaimers: each trigger with and without its disclosure, on copy written for the project.

Decision tested here: front matter and HTML comments never count as a disclosure. Front
matter is metadata (readers never see `disclaimer:` in a YAML header) and a comment is not
rendered, so a disclosure that lives only there is missing. Bylines and review dates in
front matter do count for the info-quality rules (see test_info_quality_* below), because
site templates render them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.config import Config
from healthlint.diagnostic import Diagnostic
from healthlint.engine.linter import Linter
from healthlint.errors import RulesetError
from healthlint.kinds.disclaimer import (
    Haystack,
    Screened,
    Speller,
    _replace_words,
    _windows,
    normalise,
    one_edit_cut,
    required_words,
)
from tests.conftest import EVAL_DOCS, SEEDS, SHARED_SEEDS, needs_shared

LINTERS: dict[tuple[str, tuple[tuple[str, object], ...]], Linter] = {}


def linter(select: str = "disclaimers", **options: object) -> Linter:
    key = (select, tuple(sorted(options.items())))
    if key not in LINTERS:
        LINTERS[key] = Linter(Config(options=dict(options)), select=[select])
    return LINTERS[key]


def lint(text: str, path: str = "page.md", select: str = "disclaimers", **options: object) -> list[Diagnostic]:
    return linter(select, **options).lint_text(text, path)


def kinds(text: str, path: str = "page.md", **options: object) -> set[str]:
    return {d.disclaimer for d in lint(text, path, **options) if d.disclaimer}


def only(kind: str, text: str, path: str = "page.md", **options: object) -> list[Diagnostic]:
    return [d for d in lint(text, path, **options) if d.disclaimer == kind]


# ------------------------------------------------------------------ copy
KETAMINE_CLINIC = """\
# Ketamine infusions for depression

Tired of feeling stuck? Our IV ketamine infusions bring relief from treatment-resistant
depression, often within days. Book a consultation with our team.
"""

SUPPLEMENT = """\
# DeepRest Magnesium Gummies

Each gummy supports restful sleep and helps you unwind after a long day.

- 60 gummies per jar
- $27.99, or subscribe and save 15%
"""

DSHEA = ("These statements have not been evaluated by the Food and Drug Administration. "
         "This product is not intended to diagnose, treat, cure, or prevent any disease.")

DEPRESSION_ARTICLE = """\
# Living with depression

Depression is a common illness. Symptoms of depression include low mood, poor sleep and
losing interest in things. Talk therapy and antidepressants both help many people.
"""


# ------------------------------------------------------------ medical advice
MEDICAL_ADVICE_WORDINGS = [
    "This page is for general information and is not a substitute for professional medical advice.",
    "This content is for informational purposes only.",
    "It does not replace advice from your own health care provider.",
    "Nothing on this site constitutes medical advice.",
    "This article is not intended as medical advice.",
    "Always consult your doctor before starting a new treatment.",
    "Please talk to your healthcare provider about whether this treatment is right for you.",
    "Always seek the advice of your physician with any questions about a medical condition.",
    "Information on this page should not be used as a substitute for professional medical care.",
    "The information here is for educational purposes only.",
]


@pytest.mark.parametrize("wording", MEDICAL_ADVICE_WORDINGS)
def test_medical_advice_family_of_wordings(wording: str) -> None:
    assert "medical-advice" in kinds(KETAMINE_CLINIC)
    assert "medical-advice" not in kinds(KETAMINE_CLINIC + "\n" + wording + "\n")


@pytest.mark.parametrize("typo", [
    "This page is not a substitue for your doctors advice.",
    "This page is for general informaton only.",
    "Always consult your physcian before starting a new treatment.",
])
def test_medical_advice_tolerates_typos(typo: str) -> None:
    assert "medical-advice" not in kinds(KETAMINE_CLINIC + "\n" + typo + "\n")


@pytest.mark.parametrize("variant", [
    "This page is for general informaton and is not a substitue for profesional medical advice.",
    "This page is general information and is not a\nsubstitute for medical advice from your own doctor.",
    "This page is **not a substitute** for *professional* medical advice.",
    "This page is not a substitute for medical advise from your own doctor.",
    "THIS PAGE IS NOT A SUBSTITUTE FOR PROFESSIONAL MEDICAL ADVICE.",
    "This page is not-a-substitute for professional, medical advice!",
])
def test_medical_advice_tolerates_typos_breaks_markup_and_case(variant: str) -> None:
    assert "medical-advice" not in kinds(KETAMINE_CLINIC + "\n" + variant + "\n")


def test_medical_advice_html_footer_with_inline_markup_and_entities() -> None:
    page = """<h1>Stem cell therapy for knee pain</h1>
<p>Our stem cell injections treat knee pain and may help you avoid surgery.</p>
<footer><p>&copy; 2026 Summit Joint. This page does <em>not</em> replace advice from your
own&nbsp;health care provider.</p></footer>"""
    assert "medical-advice" not in kinds(page, "page.html")
    assert "medical-advice" in kinds(page.replace("not</em> replace", "</em> explain"), "page.html")


def test_medical_advice_finding_sits_at_first_trigger_and_quotes_a_wording() -> None:
    [finding] = only("medical-advice", KETAMINE_CLINIC)
    assert finding.category == "missing-disclaimer"
    assert finding.rule == "disclaimers/medical-advice"
    assert (finding.line, finding.column, finding.match) == (1, 3, "Ketamine")
    assert '"Ketamine" is the first mention' in finding.message
    assert finding.suggestion is not None and "not a substitute for professional medical advice" in finding.suggestion


def test_wordings_that_are_not_disclaimers_do_not_count() -> None:
    for text in ("Supplements are not a substitute for a varied diet.",
                 "Ask your doctor about our services.",
                 "We answer questions about infusions every weekday."):
        assert "medical-advice" in kinds(KETAMINE_CLINIC + "\n" + text + "\n"), text


def test_disclaimer_in_front_matter_only_does_not_count() -> None:
    page = "---\ndisclaimer: This page is not a substitute for professional medical advice.\n---\n\n" + KETAMINE_CLINIC
    assert "medical-advice" in kinds(page)


def test_disclaimer_in_an_html_comment_does_not_count() -> None:
    page = ("<h1>Stem cell therapy</h1>\n<p>Our stem cell injections treat knee pain without surgery.</p>\n"
            "<!-- This page is not a substitute for professional medical advice. -->\n")
    assert "medical-advice" in kinds(page, "page.html")


def test_disclaimer_in_a_code_block_does_not_count() -> None:
    page = KETAMINE_CLINIC + "\n```\nThis page is not a substitute for professional medical advice.\n```\n"
    assert "medical-advice" in kinds(page)


def test_page_with_no_health_content_is_quiet() -> None:
    page = "# Our opening hours\n\nWe are open Monday to Friday. Parking is free behind the building.\n"
    assert kinds(page) == set()


# ------------------------------------------------------------------ FDA / DSHEA
def test_supplement_page_needs_the_dshea_statement() -> None:
    [finding] = only("fda-dshea", SUPPLEMENT)
    assert finding.match == "supports restful sleep"
    assert "21 CFR 101.93(c)" in finding.message
    assert finding.suggestion == DSHEA
    assert not only("fda-dshea", SUPPLEMENT + "\n*" + DSHEA + "*\n")


@pytest.mark.parametrize("statement", [
    # A typo in a short word: the fuzzy match (one edit in a wording this long) takes it.
    "These statements have not ben evaluated by the FDA. This product is not intended to diagnose, "
    "treat, cure, or prevent any disease.",
    "These statements have not been evaluated by the FDA. This product is not intended to diagnose, "
    "treat, cure or prevent any disease.",
    "†These statments have not been evaluted by the Food & Drug Adminstration. This product is not\n"
    "intended to diagnose, treat, cure, or prevent any disease.",
    "The statements on this website have not been evaluated by the Food and Drug Administration. Our "
    "products are not intended to diagnose, treat, cure, or prevent any disease.",
    "<small>These statements have not been <b>evaluated</b> by the Food and Drug\nAdministration.</small> "
    "This product is not intended to diagnose, treat, cure, or prevent any disease.",
])
def test_dshea_statement_variants(statement: str) -> None:
    assert not only("fda-dshea", SUPPLEMENT + "\n" + statement + "\n")


def test_half_a_dshea_statement_is_not_enough() -> None:
    half = "This product is not intended to diagnose, treat, cure, or prevent any disease."
    assert only("fda-dshea", SUPPLEMENT + "\n" + half + "\n")
    negated = DSHEA.replace("have not been", "have been").replace("is not intended", "is intended")
    assert only("fda-dshea", SUPPLEMENT + "\n" + negated + "\n")


def test_dshea_statement_in_an_html_comment_does_not_count() -> None:
    page = (f"<h1>ShieldUp Drops</h1><p>Our drops support your immune system. One bottle: $29.</p>"
            f"<!-- legal: {DSHEA} -->")
    assert only("fda-dshea", page, "page.html")


@pytest.mark.parametrize("page", [
    # CBD and NAD+ products are marketed as supplements.
    "# CalmLeaf CBD Gummies\n\nEach gummy helps you relax and supports a calm mood. $39 per jar.\n",
    "# CellSpark NAD+ Capsules\n\nOur capsules support cellular energy and healthy aging. Add to cart: $59.\n",
    "<h1>SunGold Vitamin D3 Softgels</h1><p>Supports strong bones and immune function.</p>"
    "<p>120 softgels per bottle. $14.99</p>",
])
def test_dshea_applies_to_supplement_cbd_and_nad_products(page: str) -> None:
    path = "page.html" if page.startswith("<") else "page.md"
    assert only("fda-dshea", page, path)


@pytest.mark.parametrize("page", [
    # An IV clinic: vitamin C infusions and NAD+ drips are services, not dietary supplements.
    "<h1>Hydrate IV Lounge</h1><p>Our IV drips support immune health with high-dose vitamin C "
    "infusions.</p><p>NAD+ drips restore cellular energy. Each drip takes 45 minutes.</p>"
    "<ul><li>Myers' Cocktail: $179</li><li>NAD+ 500 mg: $450</li></ul><p>Book your IV today.</p>",
    # A health-information article that mentions vitamin D and supplements.
    "# Vitamin D and colds\n\nVitamin D helps your body keep bones strong. Some people take a "
    "supplement in winter. Each tablet usually contains 1,000 IU. Ask your doctor before you take "
    "more than 4,000 IU a day.\n",
    # Prescription weight-loss drugs and hormones.
    "# Medical weight loss\n\nOur licensed providers prescribe compounded semaglutide, which supports "
    "healthy weight loss. Each vial lasts a month. Plans from $199.\n",
    # Chiropractic.
    "# Spinal adjustments\n\nOur chiropractic care supports joint mobility and eases back pain. "
    "Each visit is $65.\n",
])
def test_dshea_stays_quiet_for_services_drugs_and_health_information(page: str) -> None:
    path = "page.html" if page.startswith("<") else "page.md"
    assert not only("fda-dshea", page, path)


# ------------------------------------------------------------------ crisis line
def test_depression_article_needs_a_crisis_line_even_as_health_information() -> None:
    [finding] = only("crisis-line", DEPRESSION_ARTICLE)
    assert finding.match == "depression"
    assert "988" in (finding.suggestion or "")
    assert 'This page is about a mental-health topic ("depression")' in finding.message


@pytest.mark.parametrize("resource", [
    "If you are thinking about suicide, call or text 988 to reach the 988 Suicide & Crisis Lifeline.",
    "In crisis? Call or text 988, any time.",
    "Text HOME to 741741 to reach the Crisis Text Line.",
    "If you are thinking about suicide or might harm yourself, call 911 now.",
    "Contact the Suicide and Crisis Lifline for free, confidential support.",  # a typo
    "[Call 988](tel:988) if you need to talk to someone tonight.",
])
def test_crisis_resources_that_count_in_the_us(resource: str) -> None:
    assert not only("crisis-line", DEPRESSION_ARTICLE + "\n" + resource + "\n")


def test_a_bare_link_to_the_lifeline_counts() -> None:
    page = DEPRESSION_ARTICLE + "\n[Get help now](https://988lifeline.org/)\n"
    assert not only("crisis-line", page)


def test_emergency_number_without_a_crisis_context_does_not_count() -> None:
    # A clinic footer's "medical emergency" line is not a crisis resource for a reader at risk.
    assert only("crisis-line", DEPRESSION_ARTICLE + "\nIn a medical emergency, call 911.\n")
    assert only("crisis-line", DEPRESSION_ARTICLE + "\nOur clinic phone number is (555) 010-2040.\n")


def test_crisis_locale_from_config() -> None:
    samaritans = DEPRESSION_ARTICLE + "\nIf you need to talk, call Samaritans free on 116 123.\n"
    lifeline = DEPRESSION_ARTICLE + "\nCall or text 988 if you are in crisis.\n"
    # No locale configured: any locale's resource counts, and the US one is suggested.
    assert not only("crisis-line", samaritans)
    # With a locale, that locale's resource is required and suggested.
    [finding] = only("crisis-line", lifeline, locale="UK")
    assert "116 123" in (finding.suggestion or "") and "116 123" in finding.message
    assert not only("crisis-line", samaritans, locale="uk")
    assert not only("crisis-line", samaritans, locale="en-GB")
    [irish] = only("crisis-line", DEPRESSION_ARTICLE, locale="IE")
    assert "50808" in (irish.suggestion or "")
    [us] = only("crisis-line", samaritans, locale="US")
    assert "988" in (us.suggestion or "")


@pytest.mark.parametrize("page", [
    "# Ketamine infusions for depression\n\nSee whether infusions could help you.\n",  # a heading
    "# Our team\n\nIf you have had thoughts of suicide, our team can see you this week.\n",  # suicide once
    "# Recovery\n\nOur program treats alcohol addiction. Addiction is a disease. Recovery from addiction takes time.\n",
    "# PTSD care\n\nWe help veterans with PTSD.\n",
])
def test_crisis_line_triggers(page: str) -> None:
    assert only("crisis-line", page)


@pytest.mark.parametrize("page", [
    # A supplement page that mentions anxiety in passing is not a page about anxiety.
    "# CalmRoot Ashwagandha\n\nCalmRoot supports a healthy stress response. One customer was off "
    "her anxiety medication, she says; another had fewer anxiety attacks.\n",
    # Ketamine as an anesthetic: "respiratory depression" is not the illness.
    "# Ketamine in anesthesia\n\nKetamine causes less respiratory depression than opioids, so it is "
    "used in emergency surgery.\n",
    "# Knee pain\n\nOur stem cell injections regenerate cartilage.\n",
])
def test_crisis_line_quiet_when_the_page_is_not_about_mental_health(page: str) -> None:
    assert not only("crisis-line", page)


# ------------------------------------------------------------------ off-label
def test_ketamine_promoted_for_depression_needs_an_off_label_statement() -> None:
    [finding] = only("off-label", KETAMINE_CLINIC)
    assert finding.match == "Ketamine"
    assert "off-label" in finding.message


@pytest.mark.parametrize("statement", [
    "Ketamine is FDA-approved as an anesthetic; its use for depression is off-label.",
    "IV ketamine has not been approved by the FDA for depression.",
    "Ketamine is not FDA approved for treating depression.",
    "Using ketamine for depression is an off label use.",
])
def test_off_label_statements(statement: str) -> None:
    assert not only("off-label", KETAMINE_CLINIC + "\n" + statement + "\n")


def test_off_label_for_compounded_oral_ketamine() -> None:
    page = ("# At-home ketamine for anxiety\n\n"
            "Our compounded ketamine troches are shipped to your door after a video visit.\n")
    assert only("off-label", page)


def test_esketamine_information_page_does_not_fire() -> None:
    page = """\
# Treatment options for depression

Esketamine nasal spray is approved by the FDA for treatment-resistant depression in adults.
It is given in a clinic because it can cause dizziness. Esketamine, a form of ketamine, is
taken with an oral antidepressant.
"""
    assert not only("off-label", page)


def test_a_clinic_offering_spravato_and_iv_ketamine_still_needs_the_statement() -> None:
    page = """\
# Spravato and ketamine for depression

We offer Spravato (esketamine), which is FDA-approved for treatment-resistant depression,
and IV ketamine infusions. Book a consultation to find out which is right for you.
"""
    [finding] = only("off-label", page)
    assert finding.line == 1 and finding.match == "ketamine"


def test_ketamine_for_pain_only_is_not_a_psychiatric_use() -> None:
    page = "# Ketamine for chronic pain\n\nOur ketamine infusions are used for nerve pain. Book a session.\n"
    assert not only("off-label", page)


# ------------------------------------------------------------------ typical results
TESTIMONIAL = '> "After three infusions my depression was simply gone." — Mark T.\n'


def test_testimonial_needs_generally_expected_results() -> None:
    [finding] = only("results-vary", "# Reviews\n\n" + TESTIMONIAL)
    assert finding.line == 3
    assert "After three infusions my depression was simply gone." in finding.match
    assert '"Results may vary" on its own is a weak disclosure' in finding.message
    assert "16 CFR 255.2" in finding.message


@pytest.mark.parametrize("statement", [
    "Results differ from person to person.",
    "Individual results may vary. Most patients who finish six infusions report some improvement.",
    "These results are not typical.",
    "On average, patients in our records improved by a third.",
    "Everyone responds differently, and ketamine does not work for everyone.",
])
def test_results_statements(statement: str) -> None:
    assert not only("results-vary", TESTIMONIAL + "\n" + statement + "\n")


def test_star_ratings_and_crowds_trigger_results_vary() -> None:
    assert only("results-vary", "# ShieldUp\n\n★★★★★ Rated 4.8 by 900 families.\n")
    assert only("results-vary", "# ShieldUp\n\nThousands of happy customers are living proof that it works.\n")
    assert not only("results-vary", "# ShieldUp\n\nOur drops contain zinc and elderberry.\n")


@pytest.mark.parametrize("statement", [
    "Most people reprt less pain after six sessions.",  # the edit in the tail of the wording
    "Mos patients report less pain after six sessions.",  # in its head
    "Mostpatients report less pain after six sessions.",  # between the two
    "In our records everyone is diferent: half of patients improved.",
])
def test_results_statements_with_a_typo(statement: str) -> None:
    assert not only("results-vary", TESTIMONIAL + "\n" + statement + "\n")


def test_one_edit_cut_splits_before_a_word() -> None:
    assert one_edit_cut(r"most\s(?:patients|people)\s(?:\w+\s){0,2}?(?:see|report)") == (
        r"most\s", r"(?:patients|people)\s(?:\w+\s){0,2}?(?:see|report)")
    assert one_edit_cut(r"not\stypical|atypical\sresults?") is None  # an alternation at the top
    assert one_edit_cut(r"\bmost\speople\ssee") is None  # word boundaries: not cut
    assert one_edit_cut(r"on\saverage") is None  # "on" is too short to screen anything


def test_fuzzy_screens_pass_every_one_edit_match() -> None:
    """Whenever the fuzzy wording matches, one of its two screens does: windows they skip hold no match."""
    [rule] = [r for r in linter().rules if r.id == "disclaimers/results-vary"]
    wordings = [w for w in rule.common.any if w.fuzzy_screens]
    assert len(wordings) >= 3
    samples = ["most people report", "most clients saw", "everyone is different", "every patient reacts differently",
               "results often depend on", "reviews are individual experiences"]
    checked = 0
    for wording in wordings:
        fuzzy = wording.fuzzy.compiled
        for sample in samples:
            variants = {sample[:i] + edit + sample[i + 1 + skip:] for i in range(len(sample) + 1)
                        for edit, skip in (("", 0), ("x", 0), ("x", -1), (" ", 0))}
            for variant in variants:
                text = f"our clinic notes that {variant} after treatment"
                if fuzzy.search(text) is not None:
                    checked += 1
                    assert any(screen.search(text) is not None for screen in wording.fuzzy_screens), (variant,)
    assert checked > 100


# ------------------------------------------------------------------ financial interest
ARTICLE_BODY = " ".join(["Antidepressants do not work for everyone, and people want to know what else exists."] * 20)


def test_financial_interest_on_an_article_that_sells_its_publishers_services() -> None:
    page = f"# When antidepressants stop working\n\n*6 min read*\n\n{ARTICLE_BODY}\n\nBook a free consultation today.\n"
    [finding] = only("financial-interest", page)
    assert finding.severity == "info"
    assert finding.match == "Book a free consultation"
    disclosed = page + "\nThis article was written by Revive Infusion Studio, which offers the treatments described.\n"
    assert not only("financial-interest", disclosed)
    assert not only("financial-interest", page + "\nDisclosure: we have a financial interest in these services.\n")


def test_financial_interest_quiet_on_a_landing_page() -> None:
    page = f"# Ketamine therapy\n\n{ARTICLE_BODY}\n\nBook a free consultation today.\n"
    assert not only("financial-interest", page)


# ------------------------------------------------------------------ labelled pages
def test_careful_pages_stay_quiet() -> None:
    for path in (EVAL_DOCS / "careful-article.md", EVAL_DOCS / "depression-treatment-guide.md",
                 SEEDS / "iron-and-fatigue.md", SEEDS / "panic-attacks-explained.md"):
        found = [d for d in linter().lint_paths([str(path)]).diagnostics if d.severity != "info"]
        assert found == [], path


def test_cbd_seed_statement_with_a_typo_counts_but_its_reviews_need_typical_results() -> None:
    found = linter().lint_paths([str(SEEDS / "serenity-cbd-gummies.html")]).diagnostics
    assert [d.disclaimer for d in found] == ["results-vary"]


@needs_shared
def test_seed_pages_get_their_disclaimers() -> None:
    found = linter().lint_paths([str(SHARED_SEEDS / "000_7d29fee4046db477.txt"), str(EVAL_DOCS / "immunity-drops.html"),
                                 str(SEEDS / "nightcalm-gummies.html")]).diagnostics
    by_file = {(Path(d.path).name, d.disclaimer) for d in found}
    assert {("000_7d29fee4046db477.txt", "medical-advice"), ("000_7d29fee4046db477.txt", "crisis-line"),
            ("000_7d29fee4046db477.txt", "off-label")} <= by_file
    assert ("000_7d29fee4046db477.txt", "fda-dshea") not in by_file  # NAD+ and CBD by IV are services
    assert {("immunity-drops.html", "fda-dshea"), ("immunity-drops.html", "results-vary")} <= by_file
    assert ("nightcalm-gummies.html", "fda-dshea") in by_file  # its statement sits in an HTML comment


# ------------------------------------------------------------------ info quality
HEALTH_INFO = " ".join([
    "Iron helps your blood carry oxygen, and low iron is a common condition.",
    "Symptoms include tiredness and shortness of breath.",
    "Treatment usually starts with diet changes and an iron supplement.",
    "A blood test shows whether your iron is low, and your doctor can look for the cause.",
] * 3)


def test_info_quality_author_with_credentials() -> None:
    page = f"# Low iron\n\n{HEALTH_INFO}\n"
    [finding] = lint(page, select="info-quality/no-qualified-author")
    assert finding.category == "info-quality" and finding.severity == "info"
    for byline in ("*Medically reviewed by Amara Osei, MD.*", "By Dr. Sam Lee", "Written by Lena Park, PharmD"):
        assert not lint(f"# Low iron\n\n{byline}\n\n{HEALTH_INFO}\n", select="info-quality/no-qualified-author"), byline
    # Front matter bylines count (templates show them), but only with credentials.
    assert not lint(f"---\nreviewer: Lena Park, PharmD\n---\n\n# Low iron\n\n{HEALTH_INFO}\n",
                    select="info-quality/no-qualified-author")
    assert lint(f"---\nauthor: Revive Infusion Studio\n---\n\n# Low iron\n\n{HEALTH_INFO}\n",
                select="info-quality/no-qualified-author")


def test_info_quality_date_present_and_fresh() -> None:
    page = f"# Low iron\n\n{HEALTH_INFO}\n"
    [missing] = lint(page, select="info-quality/no-date")
    assert missing.category == "info-quality" and missing.severity == "info"
    recent = (dt.date.today() - dt.timedelta(days=40)).strftime("%B %-d, %Y")
    assert not lint(f"# Low iron\n\n*Last reviewed {recent}*\n\n{HEALTH_INFO}\n", select="info-quality/no-date")
    assert not lint(f"# Low iron\n\n*Last reviewed {recent}*\n\n{HEALTH_INFO}\n", select="info-quality/stale-review")
    assert not lint(f"{recent}\n\n# Low iron\n\n{HEALTH_INFO}\n", select="info-quality/no-date")  # a bare date line
    # A date that is not presented as the page's date does not count.
    assert lint(f"# Low iron\n\n{HEALTH_INFO} A 2019 study from March 3, 2019 found this.\n",
                select="info-quality/no-date")


def test_info_quality_stale_date_is_configurable() -> None:
    old = dt.date.today() - dt.timedelta(days=5 * 365)
    page = f"---\nreviewed: {old.isoformat()}\n---\n\n# Low iron\n\n{HEALTH_INFO}\n"
    [stale] = lint(page, select="info-quality/stale-review")
    assert stale.line == 2 and old.isoformat() in stale.message and "5 years" in stale.message
    assert not lint(page, select="info-quality/stale-review", stale_after_months=120)
    recent = dt.date.today() - dt.timedelta(days=200)
    assert lint(page.replace(old.isoformat(), recent.isoformat()), select="info-quality/stale-review",
                stale_after_months=3)


def test_numeric_dates_follow_the_locale() -> None:
    # 03.04.2015 is 4 March in the US and 3 April in the UK; both are stale, and parse.
    page = f"Updated 03.04.2015\n\n# Low iron\n\n{HEALTH_INFO}\n"
    [us] = lint(page, "page.txt", select="info-quality/stale-review")
    [uk] = lint(page, "page.txt", select="info-quality/stale-review", locale="UK")
    assert "2015-03-04" in us.message and "2015-04-03" in uk.message


# ------------------------------------------------------------------ mechanics
def test_normalise_makes_punctuation_and_markup_residue_insignificant() -> None:
    assert normalise("Doesn't  replace\nadvice — from your GP!") == " Doesnt replace advice from your GP "
    assert normalise("Food & Drug") == " Food and Drug "


def _normalise_by_definition(text: str) -> str:
    """The normalisation as specified: apostrophes inside words go, "&" and the spaces around it
    become " and ", and every run of non-word characters, or of underscores, becomes one space."""
    text = regex.sub(r"\s*&\s*", " and ", regex.sub(r"(?<=\w)['’ʼ`](?=\w)", "", text))
    return " " + regex.sub(r"[^\w]+|_+", " ", text).strip() + " "


@pytest.mark.parametrize("text", [
    "Q&A: ask_your_doctor — it's not a substitute for care &  advice.",
    "Results vary.\t\tMost patients_ notice a change &\nsome do not. Call 988 (24/7)!",
    " _-_ &&& don’t  \u00a0 café  co-op ",
    "",
])
def test_normalise_agrees_with_its_definition(text: str) -> None:
    assert normalise(text) == _normalise_by_definition(text)
    for cut in range(len(text)):  # every prefix: runs of punctuation, spaces and underscores end anywhere
        assert normalise(text[:cut]) == _normalise_by_definition(text[:cut])


# ASCII copy without underscores takes a translation fast path; non-ASCII symbols and letters
# (★, no-break space, é, the dotless ı) decide per character whether it still applies.
@settings(max_examples=400)
@given(st.text(alphabet="aZ09 .,!-'’&\n\t()/★\u00a0é\u0131—_", max_size=24))
def test_normalise_agrees_with_its_definition_on_mixed_text(text: str) -> None:
    assert normalise(text) == _normalise_by_definition(text)


def _windows_by_definition(text: str, words: dict[str, int], reach: int, at_least: int) -> list[tuple[int, int]]:
    """Spans within `reach` of each occurrence, merged where they touch, kept where words of
    `at_least` groups occur: one occurrence at a time."""
    hits = sorted((at, group) for word, group in words.items()
                  for at in range(len(text)) if text.startswith(word, at))
    spans: list[tuple[int, int, set[int]]] = []
    for at, group in hits:
        lo, hi = max(at - reach, 0), min(at + reach, len(text))
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi, spans[-1][2] | {group})
        else:
            spans.append((lo, hi, {group}))
    return [(lo, hi) for lo, hi, seen in spans if len(seen) >= at_least]


def test_windows_around_words_merge_where_they_touch() -> None:
    page = normalise(SUPPLEMENT + KETAMINE_CLINIC + "Our patients, and our patients' families, say our team helped.")
    hay = Haystack(page)
    for words, at_least in [({"our": 0}, 1), ({"our": 0, "patients": 0, "team": 0}, 1),
                            ({"patients": 0, "team": 1}, 2), ({"ketamine": 0, "gummy": 1, "zzz": 2}, 2),
                            ({"absent": 0}, 1)]:
        for reach in (3, 20, 60, 200, 2000):
            expected = _windows_by_definition(hay.lowered, words, reach, at_least)
            shortest_first = tuple(sorted(words, key=len))
            assert _windows(Haystack(page), shortest_first, reach, at_least, words) == expected, (words, reach)
    assert _windows(Haystack(" aaaa "), ("aa",), 1) == [(0, 4)]  # "aa" at 1, 2 and 3: overlaps count


def test_screened_search_with_the_scan_index_finds_what_the_regex_finds() -> None:
    from healthlint.document.load import parse
    from healthlint.kinds.scan import text_index

    page = (SUPPLEMENT + "\n" + KETAMINE_CLINIC + "\nOur drops: take one dropperful a day. Supplement Facts below.\n"
            + "Is this right for you? Our team can help.\n" * 40)
    document = parse("page.md", page)
    index = text_index(document)
    indexed = Haystack(index.text, index.lowered, index)
    plain = Haystack(index.text)
    assert indexed.index is not None and plain.index is None
    for source in [r"\b(?:our|each|per|one)\s+(?:[\w+-]+\s+){0,3}?(?:gumm(?:y|ies)|drops?|dropperful)\b",
                   r"\bour\s+team\b", r"\b(?:book|schedule)\s+a\s+consultation\b", r"\bsupplement\s+facts\b",
                   r"\bno\s+such\s+phrase\b", r"[★⭐]{3,5}"]:
        screened = Screened(regex.compile(source, regex.IGNORECASE), source)
        expected = [m.span() for m in Screened(screened.compiled, source).finditer(plain)]
        assert [m.span() for m in screened.finditer(indexed)] == expected, source
        found = screened.search(indexed)
        assert (found.span() if found else None) == (expected[0] if expected else None), source


def test_replacing_misspelt_words_replaces_whole_words_only() -> None:
    fixes = {"substitue": "substitute", "profesional": "professional"}
    text = " not a substitue substitue for profesional advice substitues asubstitue profesional "
    pattern = regex.compile(r"\b(?:" + "|".join(map(regex.escape, fixes)) + r")\b")
    assert _replace_words(text, fixes) == pattern.sub(lambda m: fixes[m.group()], text)
    assert _replace_words(text, fixes).count("substitute") == 2


def test_required_words_screen_regexes() -> None:
    clauses = required_words(r"not\s(?:a\s)?substitute\sfor\s(?:medical|professional)\sadvice")
    assert frozenset({"not"}) in clauses and frozenset({"substitute"}) in clauses
    assert frozenset({"medical", "professional"}) in clauses
    assert required_words(r"results?\s(?:may\s)?vary") == [frozenset({"result"}), frozenset({"vary"})]
    assert required_words(r"\b(?:{{terms}}|\L<names>)\b") == []
    assert required_words(r"(?:988|call)|[a-z]+") == []  # one branch needs no word


def test_speller_corrects_one_edit_in_long_words_only() -> None:
    speller = Speller()
    speller.learn({"substitute", "evaluated", "cleared"})
    assert speller.fix("substitue") == "substitute"
    assert speller.fix("evaulated") == "evaluated"
    assert speller.fix("substitutes") == "substitute"
    assert speller.fix("evaluted") == "evaluated"
    assert "cleared" not in speller.words  # too short to correct into: "clearer" is a real word
    assert speller.fix("documents") is None


def test_bad_disclaimer_rule_is_reported_with_file_and_key(tmp_path: Path) -> None:
    ruleset = tmp_path / "house.yaml"
    ruleset.write_text("""\
ruleset: house
rules:
  - id: no-accept
    kind: disclaimer
    category: missing-disclaimer
    message: m
    triggers: [ketamine]
""", encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        Linter(Config(rulesets=[str(ruleset)]))
    assert "house.yaml" in str(error.value) and "accept" in str(error.value)
    ruleset.write_text(ruleset.read_text(encoding="utf-8") + "    accept: [off label]\n    trigger_rules: [nope]\n",
                       encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        Linter(Config(rulesets=[str(ruleset)]))
    assert "trigger_rules" in str(error.value)


def test_house_ruleset_reuses_the_kind(tmp_path: Path) -> None:
    ruleset = tmp_path / "house.yaml"
    ruleset.write_text("""\
ruleset: house
rules:
  - id: hsa-eligibility
    kind: disclaimer
    category: missing-disclaimer
    disclaimer: financial-interest
    message: '"{match}" is sold here; say that HSA eligibility depends on the plan: "{suggestion}"'
    suggestion: Check with your plan administrator.
    triggers: ['\\bHSA[\\s-]eligible\\b']
    accept: ['check\\swith\\syour\\splan\\sadministrator']
""", encoding="utf-8")
    house = Linter(Config(rulesets=[str(ruleset)]), select=["house"])
    [finding] = house.lint_text("Our test kits are HSA-eligible.\n", "page.md")
    assert finding.disclaimer == "financial-interest" and finding.match == "HSA-eligible"
    assert finding.message.endswith('"Check with your plan administrator."')
    assert not house.lint_text("Our kits are HSA-eligible. Check with your plan administratr.\n", "page.md")


def test_menus_naming_a_topic_do_not_make_a_page_about_it() -> None:
    nav = ('<nav><ul><li><a href="/depression">Depression</a></li><li><a href="/anxiety">Anxiety</a></li>'
           '<li><a href="/ptsd">PTSD</a></li><li><a href="/addiction">Addiction</a></li></ul></nav>')
    body = ("<h1>FlexiCore Joint Support</h1><p>Glucosamine and turmeric to support joint comfort.</p>"
            '<footer><p><a href="/depression-help">Depression resources</a> · <a href="/anxiety">Anxiety help</a></p>'
            "</footer>")
    assert not lint(nav + body, path="page.html", select="disclaimers/crisis-line")
    article = "<h1>Living with depression</h1><p>Depression is common. Depression can be treated.</p>"
    assert lint(nav + article + body, path="page.html", select="disclaimers/crisis-line")


def test_rules_from_the_compiled_cache_still_correct_typos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The speller's vocabulary is learnt when a rule is configured; a rule unpickled from the
    # compiled-rules cache (the next pre-commit run) must teach it too, or findings depend on the cache.
    from healthlint.kinds import disclaimer

    page = """\
# CalmRoot Chamomile Gummies

Each gummy helps you relax after work. 60 gummies per jar: $24.

*These statments have not been evaluated by the Food and Drug Administration. This product is
not intended to diagnose, treat, cure, or prevent any disease.*
"""
    fresh = Linter(Config(), select=["disclaimers/fda-dshea"], compiled_cache=tmp_path)  # writes the cache
    assert fresh.lint_text(page, "page.md") == []  # "statments" is corrected to "statements"
    monkeypatch.setattr(disclaimer, "SPELLER", Speller())  # a new process: the speller knows nothing yet
    cached = Linter(Config(), select=["disclaimers/fda-dshea"], compiled_cache=tmp_path)
    assert cached.lint_text(page, "page.md") == []
    assert "statements" in disclaimer.SPELLER.words
