"""Citations on realistic copy: what needs a source, what counts as one, and what never fires."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.config import Config
from healthlint.engine.linter import Linter
from healthlint.errors import RulesetError
from healthlint.kinds import citation
from healthlint.kinds.scan import FOLD_EXCEPTIONS
from healthlint.language import numbers, references
from tests.conftest import SHARED_SEEDS, write

LINTER = Linter(Config(), select=["citations"])
CLAIM_RULES = ("unsourced-statistic", "unsourced-attribution", "unsourced-consensus")


def findings(text: str, path: str = "page.md", linter: Linter = LINTER) -> list[tuple[str, str]]:
    return [(d.rule.removeprefix("citations/"), d.match) for d in linter.lint_text(text, path)]


def claims(text: str, path: str = "page.md", linter: Linter = LINTER) -> list[tuple[str, str]]:
    return [f for f in findings(text, path, linter) if f[0] in CLAIM_RULES]


def messages(text: str, path: str = "page.md", linter: Linter = LINTER) -> list[str]:
    return [d.message for d in linter.lint_text(text, path) if d.rule.removeprefix("citations/") in CLAIM_RULES]


# ---------------------------------------------------------------------------- triggers


@pytest.mark.parametrize(
    ("text", "rule", "match"),
    [
        # Statistics: percentages and ranges.
        ("Approximately 30% of people with depression don't respond to their first medicine.",
         "unsourced-statistic", "Approximately 30% of people"),
        ("Only 60-70% of patients respond to antidepressant therapy.",
         "unsourced-statistic", "Only 60-70% of patients"),
        ("Of those who do not respond, 10-30% exhibit treatment-resistant symptoms.",
         "unsourced-statistic", "10-30% exhibit"),
        ("Our infusions have a 90% success rate.", "unsourced-statistic", "a 90% success"),
        ("Sleep loss raises your risk of diabetes by 48 percent.", "unsourced-statistic", "by 48 percent"),
        ("Thirty percent of adults report poor sleep.", "unsourced-statistic", "Thirty percent of adults"),
        # "1 in 4", "9 out of 10".
        ("About 1 in 4 adults has low vitamin D.", "unsourced-statistic", "About 1 in 4 adults"),
        ("One in three adults doesn't get enough sleep.", "unsourced-statistic", "One in three adults"),
        ("9 out of 10 dentists recommend our whitening gel.", "unsourced-statistic", "9 out of 10 dentists"),
        # Fractions.
        ("As many as two-thirds of people with depression aren't helped by the first antidepressant they try.",
         "unsourced-statistic", "As many as two-thirds of people"),
        ("Insomnia affects roughly one-third of adults.", "unsourced-statistic", "roughly one-third of adults"),
        # "N times more likely".
        ("Smokers are 3 times more likely to develop gum disease.", "unsourced-statistic", "3 times more"),
        ("Women are twice as likely as men to have migraines.", "unsourced-statistic", "twice as likely"),
        ("Short sleepers are 4.2 times more likely to catch a cold.", "unsourced-statistic", "4.2 times more"),
        ("Our patch lasts 2x longer than tablets.", "unsourced-statistic", "2x longer"),
        # "Up to N".
        ("Magnesium can cut night cramps by up to 40%.", "unsourced-statistic", "by up to 40%"),
        ("Up to a third of patients don't respond to several attempts at treatment.",
         "unsourced-statistic", "Up to a third"),
        # "N million".
        ("Anxiety disorders affect 301 million people worldwide.", "unsourced-statistic", "301 million people"),
        ("Nearly 50 million Americans live with an autoimmune disease.",
         "unsourced-statistic", "Nearly 50 million Americans"),
        # Unsupported attributions (Wikipedia's words to watch).
        ("Studies show that cold plunges lift your mood.", "unsourced-attribution", "Studies show"),
        ("Research suggests insulin resistance is associated with low mood.",
         "unsourced-attribution", "Research suggests"),
        ("Mounting evidence suggests that inflammation plays a crucial role.",
         "unsourced-attribution", "Mounting evidence suggests"),
        ("Experts agree that glutamate is the future of psychiatry.", "unsourced-attribution", "Experts agree"),
        ("Doctors recommend NightCalm over prescription sleeping pills.",
         "unsourced-attribution", "Doctors recommend"),
        ("Doctors agree that elderberry is the best defense against viruses.",
         "unsourced-attribution", "Doctors agree"),
        ("A recent study found that our clients slept an hour longer.", "unsourced-attribution", "A recent study"),
        ("It is widely believed that sugar makes children hyperactive.",
         "unsourced-attribution", "It is widely believed that"),
        ("Dermatologist-recommended for sensitive skin.", "unsourced-attribution", "Dermatologist-recommended"),
        ("New research from Stanford shows that naps help memory.", "unsourced-attribution",
         "New research from Stanford shows"),
        # Claims of consensus, rank and firsts.
        ("Chronic inflammation is one of the most consistent biological findings in treatment-resistant depression.",
         "unsourced-consensus", "one of the most consistent biological findings"),
        ("Ketamine is the only treatment that works within hours.", "unsourced-consensus", "the only treatment"),
        ("We were the first clinic to offer NAD+ drips in Ohio.", "unsourced-consensus", "the first clinic to"),
        ("Depression is the leading cause of disability worldwide.", "unsourced-consensus", "the leading cause of"),
        ("The science is clear: gut health drives mood.", "unsourced-consensus", "The science is clear"),
    ],
)
def test_claims_that_need_a_source_fire(text: str, rule: str, match: str) -> None:
    assert (rule, match) in claims(text)


def test_one_finding_per_sentence_and_rule() -> None:
    text = "Only 60-70% of patients respond, and of those who do not, 10-30% exhibit resistant symptoms."
    assert claims(text) == [("unsourced-statistic", "Only 60-70% of patients")]


def test_positions_point_into_the_source_across_markup() -> None:
    source = "# Sleep\n\nNearly **1 in 3** adults snore, and it is widely believed that snoring is harmless.\n"
    found = LINTER.lint_text(source, "page.md")
    stat = next(d for d in found if d.rule == "citations/unsourced-statistic")
    assert (stat.line, stat.column) == (3, 1)
    assert stat.match == "Nearly **1 in 3** adults"
    attribution = next(d for d in found if d.rule == "citations/unsourced-attribution")
    assert attribution.match == "it is widely believed that"


# ---------------------------------------------------------------------------- evidence

CLAIM = "About 1 in 4 adults has low vitamin D"


def test_the_bare_claim_fires() -> None:
    # The evidence cases below pass only because of their evidence.
    assert claims(f"{CLAIM}.") == [("unsourced-statistic", "About 1 in 4 adults")]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        # A link to another site.
        (f"{CLAIM} ([CDC data](https://www.cdc.gov/nchs/products/databriefs/db59.htm)).", "page.md"),
        (f"<p>{CLAIM} (<a href='https://www.nature.com/articles/x1'>survey</a>).</p>", "page.html"),
        (f"{CLAIM}: https://www.cdc.gov/nchs/products/databriefs/db59.htm", "page.txt"),
        # Identifiers.
        (f"{CLAIM} (doi:10.1000/vitd.2011.59).", "page.md"),
        (f"{CLAIM} (PMID: 23439798).", "page.md"),
        (f"{CLAIM} (PMCID: PMC3573577).", "page.md"),
        # Footnotes and markers that resolve in the same document.
        (f"{CLAIM}.[^1]\n\n[^1]: Looker AC, et al. NCHS Data Brief No. 59. 2011.\n", "page.md"),
        (f"<p>{CLAIM}.<sup>1</sup></p><h2>References</h2><ol><li>Looker AC, et al. NCHS Data Brief. 2011.</li></ol>",
         "page.html"),
        (f"{CLAIM} [1].\n\n## References\n\n1. Looker AC, et al. NCHS Data Brief No. 59. 2011.\n", "page.md"),
        (f"{CLAIM} (2).\n\n## Sources\n\n1. Holick MF. N Engl J Med. 2007.\n2. Looker AC, et al. 2011.\n", "page.md"),
        # Author-year citations, and a named source with its year.
        (f"{CLAIM} (Looker et al., 2011).", "page.md"),
        (f"As Looker et al., 2011 reported, {CLAIM[0].lower()}{CLAIM[1:]}.", "page.md"),
        (f"According to the CDC (2023), {CLAIM[0].lower()}{CLAIM[1:]}.", "page.md"),
        (f"{CLAIM} (Looker & Pfeiffer 2011; Holick 2007).", "page.md"),
    ],
)
def test_evidence_in_the_sentence_supports_the_claim(text: str, path: str) -> None:
    assert claims(text, path) == []


@pytest.mark.parametrize(
    "text",
    [
        # A marker with nothing to point at is not a reference.
        f"{CLAIM} [3].\n\n## References\n\n1. Looker AC, et al. NCHS Data Brief No. 59. 2011.\n",
        f"{CLAIM} [1].",
        # Naming only an institution, a journal or a year.
        f"According to the CDC, {CLAIM[0].lower()}{CLAIM[1:]}.",
        "A 2021 study from a university in Ohio found that 87% of patients had less pain.",
        "A study published in JAMA found that 40% of adults sleep badly.",
        # A link in another paragraph is out of reach.
        f"{CLAIM}.\n\nRead the [CDC data brief](https://www.cdc.gov/nchs/data/db59.pdf).",
    ],
)
def test_what_is_not_a_reference(text: str) -> None:
    assert "unsourced-statistic" in {rule for rule, _ in claims(text)}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        # Numbered citations with a list of bare URLs as references (the list items hold no prose).
        ("Ashwagandha may lower cortisol by up to 30% (1, 2).\n\n## References\n\n"
         "1. https://pubmed.ncbi.nlm.nih.gov/23439798/\n2. https://pubmed.ncbi.nlm.nih.gov/31517876/\n", "page.md"),
        # A superscript that lost its markup when the page was scraped.
        ("Nearly half of Americans don't get enough magnesium from food.1\n\nSources\n\n"
         "1. Rosanoff A, et al. Suboptimal magnesium status in the United States. Nutr Rev. 2012.\n", "page.txt"),
        # A footnote link without <sup>.
        ("<p>About 1 in 3 adults snores.<a href='#ref1'>[1]</a></p><h2>Sources</h2>"
         "<ol><li id='ref1'>Young T, et al. N Engl J Med. 1993.</li></ol>", "page.html"),
        # A sentence that only points at the study.
        ("Studies show that 70% of patients respond. Read the full study "
         "[in JAMA Psychiatry](https://jamanetwork.com/journals/x).", "page.md"),
        # An inline sources line closing the paragraph.
        ("About 1 in 3 adults snores.\n\nSources: Young T, et al. N Engl J Med. 1993.\n", "page.md"),
    ],
)
def test_reference_lists_in_the_forms_real_pages_use(text: str, path: str) -> None:
    assert claims(text, path) == []


def test_a_marker_past_the_end_of_the_reference_list_is_reported() -> None:
    page = ("<p>Nappers are 2 times more likely to wake at night.<sup>4</sup></p><h2>References</h2><ol>"
            "<li>Ohayon MM. J Psychiatr Res. 2008.</li><li>Drake C, et al. J Clin Sleep Med. 2013.</li>"
            "<li>Trauer JM, et al. Ann Intern Med. 2015.</li></ol><p>&copy; 2026 QuietNight Sleep Center</p>")
    found = messages(page, "page.html")
    assert len(found) == 1 and "its marker 4 points at no reference" in found[0]


def test_social_media_and_shop_links_are_not_evidence() -> None:
    text = "9 out of 10 mums recommend our drops ([see reviews](https://www.instagram.com/shieldup))."
    assert claims(text) == [("unsourced-statistic", "9 out of 10")]


def test_naming_only_a_year_or_institution_says_so() -> None:
    text = "A 2021 study from a university in Ohio found that 87% of patients had less pain after one year."
    found = messages(text)
    assert len(found) == 2
    assert all("Naming only a year, an institution or a journal is not a reference" in m for m in found)


def test_a_citation_right_after_the_sentence_counts() -> None:
    assert claims(f"{CLAIM}. (Looker et al., 2011.) It can cause bone pain.") == []


def test_a_sentence_that_refers_back_uses_the_citation_before_it() -> None:
    text = ("About 1 in 3 adults has prediabetes ([CDC](https://www.cdc.gov/diabetes/data.html)). "
            "Of those, more than 80% don't know they have it.")
    assert claims(text) == []
    unrelated = ("About 1 in 3 adults has prediabetes ([CDC](https://www.cdc.gov/diabetes/data.html)). "
                 "Our members lose 12% of their weight.")
    assert claims(unrelated) == [("unsourced-statistic", "12% of their weight")]


@pytest.mark.parametrize(
    ("follower", "sourced"),
    [
        ("In one trial, short sleepers ate 300 more calories a day.[^1]", True),
        ("This figure comes from a national survey.[^1]", True),
        ("Snoring is loud.[^1]", False),
    ],
)
def test_the_next_sentence_carries_the_citation_only_when_it_goes_on_about_the_evidence(
        follower: str, sourced: bool) -> None:
    text = f"Research suggests that about 1 in 3 adults sleeps too little. {follower}\n\n[^1]: Spiegel K. 2004.\n"
    assert (claims(text) == []) is sourced


def test_a_first_person_method_report_with_a_footnote_is_fine() -> None:
    report = ("We enrolled 120 adults and randomized them to magnesium or placebo. After 8 weeks, 45% of the "
              "magnesium group slept longer.{marker}\n\n## References\n\n1. Lee K, et al. Sleep. 2024;47:112.\n")
    assert claims(report.format(marker="[1]")) == []
    assert claims(report.format(marker="")) == [("unsourced-statistic", "45% of the magnesium")]


def test_a_heading_may_be_sourced_by_the_paragraph_under_it() -> None:
    text = "## 1 in 4 adults has low vitamin D\n\nNational survey data show this (Looker et al., 2011).\n"
    assert claims(text) == []


# ---------------------------------------------------------------------------- what never fires


@pytest.mark.parametrize(
    "text",
    [
        # Dates.
        "10.15.2025", "Posted February 11, 2026.", "Reviewed on 2026-05-14 by our pharmacist.",
        # Times and phone numbers.
        "Open 9 a.m. to 5 p.m., Monday to Friday.", "Call (555) 010-2040 to book.",
        "Call or text 988 to reach the Suicide & Crisis Lifeline.",
        # Doses and units.
        "Take 600 mg with food.", "Do not take more than 4,000 IU a day.", "Each gummy has 3 mg of melatonin.",
        "Each capsule has 10 billion CFU of live cultures.", "Each capsule gives 48% of your daily value of zinc.",
        # Durations, including a historic one: "for 60 years" states how long, not how many.
        "In an 8-week randomized trial, adults taking 600 mg reported lower stress scores.[^1]\n\n"
        "[^1]: Chandrasekhar K, et al. Indian J Psychol Med. 2012.",
        "Most people notice a change within 24 hours.", "SSRIs take 4-8 weeks to work.",
        "They can take four to eight weeks to work.",
        "It's time to look beyond the monoamine hypothesis that's dominated psychiatry for 60 years.",
        # Prices and offers.
        "One bottle: $29", "First infusion $399; packages of six start at $2,100.",
        "Subscribe and save 15%. Get 20% off your first order.", "10% of profits go to mental health charities.",
        # List numbering, names with digits, reading times.
        "2. Look Beyond Monoamines", "Omega-3 fatty acids for membrane health",
        "B-complex, B6 and B12 for methylation support", "COVID-19 changed how we sleep.", "NAD+ and CoQ10 drips",
        "7 mins", "5 min read · Updated 09.03.2025",
        # Addresses and versions.
        "Visit us at 1200 Oak Street, Suite 4B, Denver, CO 80203.", "Version 2.1.3 of our app tracks your sleep.",
        # Counts in trial descriptions, ages, ratings, compositions and lab targets.
        "A review of 43 trials looked at vitamin D and colds.", "The trial enrolled 1,200 adults aged 18-65.",
        "Rated 4.9 out of 5 stars by over 2,000 happy clients.", "Our gummies contain 0.3% THC and are 100% vegan.",
        "The HbA1c target for most adults is below 7%.", "Take 1 in the morning and 1 at night.",
        "Our 3-in-1 formula blends magnesium, L-theanine and GABA.", "A 4 in 1 blend for calm evenings.",
        "95% of our ingredients are certified organic.",
        "Protein should make up 10-35% of your daily calories.",
        "Reduce the dose by 25% every week, as your doctor directs.",
    ],
)
def test_numbers_that_are_not_statistics_never_fire(text: str) -> None:
    assert claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # Hedged summaries of the evidence.
        "Research on melatonin for jet lag is promising, but data are still limited.",
        "Some studies suggest zinc may shorten colds, but the evidence is still limited.",
        "Studies show mixed results, and more research is needed.",
        # Negation and questions.
        "No studies show that vitamin C prevents colds.", "Do studies show that magnesium helps sleep?",
        "Medicine is not the only treatment for depression.",
        # Definitions and topics.
        "Obesity is defined as a BMI of 30 or higher.",
        "Treatment-resistant depression refers to depression that has not responded to two or more medicines.",
        "What the research says about magnesium and sleep",
        # Ordinary advice and the practice's own clinicians.
        "Your doctor may recommend a blood test.", "Our doctors recommend a follow-up visit in 2 weeks.",
        "Take the first step toward feeling better.", "Over half the time, symptoms are mild.",
        "Leave a review and tell us what you found.", "Start a free trial today; many users reported better sleep.",
        "The brain is one of the most metabolically active organs in the body.",
    ],
)
def test_hedges_definitions_and_ordinary_copy_need_no_source(text: str) -> None:
    assert claims(text) == []


# ---------------------------------------------------------------------------- the publisher's own site

OWN_LINKS = ("Studies show that 70% of patients respond to ketamine. Read more on the "
             "[science page](https://brightpath.example/science) and meet the [team](https://brightpath.example/team).")


def test_majority_domain_is_inferred_as_the_publishers_own() -> None:
    text = ("Studies show that 70% of patients respond to ketamine "
            "([science page](https://brightpath.example/science)).\n\n"
            "Meet the [team](https://brightpath.example/team) or [book](https://brightpath.example/book).")
    found = messages(text)
    assert len(found) == 2
    assert all("this paragraph only links to your own site (brightpath.example; inferred: most links on this page "
               "go there)" in m for m in found)


def test_the_site_name_marks_its_own_domain_even_for_one_link() -> None:
    text = ("<h1>Ketamine for depression</h1><p>Studies show that 70% of patients respond "
            "(<a href='https://brightpath-ketamine.example/science'>science</a>).</p>"
            "<p>&copy; 2026 Bright Path Ketamine Center</p>")
    found = messages(text, "page.html")
    assert found and all("brightpath-ketamine.example; inferred: the domain carries the site's own name" in m
                         for m in found)


def test_a_page_title_is_not_taken_for_the_site_name() -> None:
    text = ("# Sleep apnea guide\n\nAbout 1 in 5 adults has mild sleep apnea "
            "([Sleep Apnea Org](https://sleepapnea.example/facts)).\n")
    assert claims(text) == []


def test_a_link_the_page_calls_its_own_is_not_evidence() -> None:
    text = "Studies show that 70% of patients respond (see [our results](https://shinyclinic.example/results))."
    assert ("unsourced-attribution", "Studies show") in claims(text)


def test_a_relative_link_is_the_same_site() -> None:
    text = "Studies show that ketamine works fast ([our science page](/science))."
    assert claims(text) == [("unsourced-attribution", "Studies show")]
    assert "own site" in messages(text)[0]


def test_configured_self_domains_decide_and_replace_inference() -> None:
    config = Config(options={"self_domains": ["revive-infusion.example"]})
    linter = Linter(config, select=["citations"])
    own = "Your brain burns 20% of the body's energy ([NAD+ page](https://www.revive-infusion.example/nad))."
    found = [d.message for d in linter.lint_text(own, "page.md")
             if d.rule == "citations/unsourced-statistic"]
    assert found and "revive-infusion.example; set in options.self_domains" in found[0]
    assert "only links to your own site" in found[0]
    # With config present, a repeatedly linked outside site is evidence, not "your own".
    cited = ("Your brain burns 20% of the body's energy ([review](https://brainfacts.example/energy)). "
             "See also [this](https://brainfacts.example/a) and [that](https://brainfacts.example/b).")
    assert claims(cited, linter=linter) == []
    assert claims(cited) != []  # without config, most links share that domain: inferred as the site's own


def test_research_and_government_sites_are_never_taken_for_the_publishers_own() -> None:
    text = ("About 1 in 3 adults snores ([NIH](https://www.nih.gov/sleep)). Half of all adults nap "
            "([NIH](https://www.nih.gov/naps)). Learn more at [PubMed](https://pubmed.ncbi.nlm.nih.gov/1/).")
    assert claims(text) == []


def test_links_to_other_sites_are_evidence_even_when_the_page_also_links_home() -> None:
    text = ("About 1 in 3 adults snores ([study](https://sleepjournal.example/a1)).\n\n"
            "[Book now](https://shinyclinic.example/book) · [Contact](https://shinyclinic.example/contact)")
    assert claims(text) == []


# ---------------------------------------------------------------------------- the evidence window


def _window_linter(tmp_path: Path, window: str) -> Linter:
    ruleset = write(tmp_path / "house.yaml", f"""
ruleset: house
rules:
  - id: stat
    kind: citation
    category: needs-citation
    message: '"{{match}}" needs a source.'
    source: FTC Health Products Compliance Guidance (2022)
    window: {window}
    skip_numbers: true
    patterns: ['\\d+%\\s+of\\s+\\w+']
""")
    return Linter(Config(rulesets=[str(ruleset)]), select=["house"])


SPREAD = ("Sleep apnea affects 9% of adults. It often goes unnoticed "
          "([AASM](https://aasm.org/apnea)). Snoring is the main sign, and a home test can check for it "
          "([NIH](https://www.nhlbi.nih.gov/sleep-apnea)).")


@pytest.mark.parametrize(("window", "flagged"), [("sentence", True), ("next-sentence", False), ("paragraph", False)])
def test_the_window_is_configurable(tmp_path: Path, window: str, flagged: bool) -> None:
    found = [d.match for d in _window_linter(tmp_path, window).lint_text(SPREAD, "page.md")]
    assert found == (["9% of adults"] if flagged else [])


def test_paragraph_window_reaches_the_end_of_the_paragraph(tmp_path: Path) -> None:
    text = "Sleep apnea affects 9% of adults. Snoring is common. Many never get tested (Young et al., 1993)."
    assert [d.match for d in _window_linter(tmp_path, "next-sentence").lint_text(text, "page.md")] == ["9% of adults"]
    assert _window_linter(tmp_path, "paragraph").lint_text(text, "page.md") == []


@pytest.mark.parametrize(
    ("yaml_rule", "key"),
    [
        ("window: chapter\n    patterns: ['x']", "window"),
        ("report: document\n    claims_from: [nothing-here]", "claims_from"),
        ("defused_by: [hedge]\n    patterns: ['x']", "defused_by"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path: Path, yaml_rule: str, key: str) -> None:
    ruleset = write(tmp_path / "bad.yaml", f"""
ruleset: bad
rules:
  - id: broken
    kind: citation
    category: needs-citation
    message: m
    {yaml_rule}
""")
    with pytest.raises(RulesetError) as raised:
        Linter(Config(rulesets=[str(ruleset)]))
    assert key in str(raised.value) and "bad.yaml" in str(raised.value)


# ---------------------------------------------------------------------------- the page as a whole


def test_a_health_page_without_any_source_gets_one_info_finding() -> None:
    text = ("# Ketamine for depression\n\nStudies show ketamine helps. About 70% of patients respond.\n\n"
            "Mounting evidence suggests it rewires the brain.\n")
    found = [d for d in LINTER.lint_text(text, "page.md") if d.rule == "citations/page-without-sources"]
    assert len(found) == 1
    assert (found[0].category, found[0].severity) == ("info-quality", "info")
    assert found[0].metrics == {"claims": 3.0} and "cites no sources at all" in found[0].message
    assert found[0].match == "Studies show"


def test_a_page_whose_links_are_all_its_own_says_so() -> None:
    found = [d.message for d in LINTER.lint_text(OWN_LINKS, "page.md") if d.rule == "citations/page-without-sources"]
    assert len(found) == 1 and "this page only links to your own site (brightpath.example" in found[0]


@pytest.mark.parametrize(
    "text",
    [
        # One source anywhere on the page is enough for the page-level check.
        "Studies show ketamine helps depression. About 70% of patients respond (Wilkinson et al., 2018).",
        "Studies show ketamine helps depression.\n\n## References\n\n1. Krystal JH, et al. Neuron. 2019;101:774.\n",
        # Pages that are not about health, or that make no claims.
        "Studies show that 9 out of 10 cats prefer the sunny side of the sofa.",
        "Ketamine is a medicine used in hospitals. Ask your doctor whether it fits your treatment plan.",
    ],
)
def test_no_page_finding_when_the_page_cites_something_or_is_not_a_health_page(text: str) -> None:
    assert [f for f in findings(text) if f[0] == "page-without-sources"] == []


# ---------------------------------------------------------------------------- helpers and the standard


@pytest.mark.parametrize(
    ("text", "cls"),
    [("10.15.2025", "date"), ("9 a.m.", "time"), ("(555) 010-2040", "phone"), ("$29", "price"),
     ("600 mg", "dose"), ("4-8 weeks", "duration"), ("Omega-3", "name"), ("43 trials", "count"),
     ("save 15%", "commercial"), ("100% natural", "composition")],
)
def test_number_classes(text: str, cls: str) -> None:
    digits = numbers.DIGITS.search(text)
    assert digits is not None
    assert numbers.classify(text, digits.start(), digits.end()) == cls
    assert numbers.all_non_statistic("30% of adults", 0, 13) is None


def test_url_helpers() -> None:
    assert references.url_host("https://www.Example.co.uk:8080/x") == "example.co.uk"
    assert references.registrable_domain("blog.example.co.uk") == "example.co.uk"
    assert references.is_internal("/science") and references.is_internal("#ref3")
    assert not references.is_internal("mailto:hi@example.com") and not references.is_internal("www.example.com")
    assert references.is_public_source("www.cdc.gov") and references.is_public_source("med.ox.ac.uk")
    assert not references.is_public_source("brightpath.example")


# ---------------------------------------------------------------------------- quick tests before slow patterns

# Pieces of copy with the numbers the classes know, in their spellings (case, spaces, odd letters);
# strung together at random they give windows where every branch of every class matches somewhere.
PIECES = [
    "Take", " 2", " capsules", " (500 mg)", " twice", " a day", " for", " 8-12", " weeks", ". ", "Call",
    " (555) 010-2040", " or text us at", " 555.010.2041", " 1200", " Harbor View", " Road", ", Suite", " 4B",
    ", Portland, OR", " 97201", "Rated", " 4.8", " out of", " 5", " stars", " 2,300", " customers", "Save", " 15%",
    " your", " first", " order", "Contains", " 0.3%", " THC", "100%", " natural", "HbA1c", " below", " 6.5%",
    " a review of", " 43", " randomized", " trials", " among", " 1,200", " adults", " aged", " 18-65", " in your",
    " 40s", " n = 312", " version 2.1.3", " v1.2", " 10.15.2025", " Jan 5, 2024", " 5th of March", " 9 a.m.", " to",
    " 5 p.m.", " 24/7", " $29.99", " 25 USD", " Step 3", " #1", " Omega-3", " COVID-19", " B12", " 3-Day",
    "\n2. Look Beyond", " several", " six", " months", " two", " gummies", " three", " times", " per", " week",
    " weekly", " two to 3", " 12 fl oz", "\xa0", "\t", " 30%", " of", " people", " 1 in 4", " 9 out of 10", " 72%",
    " percent", " 3x", " more", " likely", " 2020", " study", " Smith et al., 2021", " (CDC, 2023)",
    " Smith and Lee (2019)", " doi:10.1000/xyz", " PMID: 12345678", " 2021;397:1234", " [1]", " (4)", "¹", " the",
    " CDC (2023)", " \u017f", " \u0130", " \u0131", " \u212a", "µg", " μg", " mg", " IU", " a few", " hours", " one",
    " once", " DV", " % daily value", " standardized to", " 95%", " off", " discount", " coupon", "-", "–", " x",
    " ages", " 65", " years old", "90s", " 1990's", " tel.", " 1-800-555-CALL", " 0207 946 0958", " apt", " PO Box 12",
    " NY 10001", ":", " 10:30", " pm", " A.M.", " page 4", " fig. 2", " no. 5", " p.12", " X-5", " 2-Methyl",
    " score of 9", " rating 4.5/5", " save up to 20%", " 20% back", " 10% of profits", " body fat", " 25%",
    " ejection fraction of", " 55%", " A1C", " N=40", " study of", " 1,000", " women", " enrolled", " 300",
    " participants", " (Smith", " 2020;", " see also Park 2020)", " van der Berg et al. 2019",
    " O’Brien & McKay, 2018", " (2019)", " Jones (2020a)", " Lee2019", " al.2019", " At", " Bright Path", " is a",
    " family clinic", " Co-Founder", " Visit", " Contact", " consultation with", " ©", " (c) 2024", " Copyright",
    " all rights reserved", " 3totwo", " 4orfive", "seven",
]
copy_with_numbers = st.lists(st.sampled_from(PIECES), min_size=1, max_size=24).map("".join)


def windows_of(text: str) -> list[tuple[int, int]]:
    return [(0, len(text))] + [(max(0, at - 60), min(len(text), at + 40)) for at in range(0, len(text), 9)]


def assert_quick_tests_hold(text: str) -> None:
    """Wherever a class matches, its quick test lets it run; the spans are those of every class run plainly."""
    for start, end in windows_of(text):
        plain = [(m.start(), m.end(), name) for name, pattern in numbers.CLASSES
                 for m in pattern.finditer(text, start, end)]
        assert numbers.non_statistic_spans(text, start, end) == plain
        window = numbers._Window(text, start, end)
        for name, pattern, ways in numbers._TESTED:
            if pattern.search(text, start, end):
                assert window._may_match(ways), (name, text[start:end])


@settings(max_examples=300)
@given(copy_with_numbers, st.sampled_from([str, str.upper, str.lower]))
def test_the_quick_test_of_every_number_class_passes_wherever_the_class_matches(text: str, case) -> None:
    assert_quick_tests_hold(case(text))


@settings(max_examples=300)
@given(copy_with_numbers, st.sampled_from([str, str.upper, str.lower]))
def test_ways_run_on_lower_cased_ascii_windows_answer_as_the_engine_does(text: str, case) -> None:
    assert_lowered_ways_agree(case(text))


@pytest.mark.parametrize("text", [
    "Take 4,000 IU of vitamin D3", "Add 5 mL twice a DAY", "TWO GUMMIES for SIX WEEKS", "500mAh battery",
    "2 Billion CFU per capsule", "Three times weekly, 10 mins", "a couple of hours", "120 MM HG at rest",
])
def test_ways_run_on_lower_cased_ascii_windows_answer_as_the_engine_does_on_units(text: str) -> None:
    assert_lowered_ways_agree(text)


def assert_lowered_ways_agree(text: str) -> None:
    for start, end in windows_of(text):
        window = text[start:end]
        if not window.isascii():
            continue
        for name, _, ways in numbers._TESTED:
            for _, test, _, lowered_test in ways:
                if lowered_test is not None:
                    expected = test.search(text, start, end) is not None
                    assert (lowered_test.search(window.lower()) is not None) == expected, (name, window)


@pytest.mark.parametrize("text", [
    "Take 3totwo mg daily", "Rest 4orfive hours", "Book 2 x weekly", "Kids aged 5–12 and up", "(555)010-2040",
    "Visit 12 Main St. or Ste 4", "rated 4.5/5 – 4 stars", "\u017fix weeks", "fig.2 and no.5", "HbA1c of 6.5%",
    "In the 1990s, 20% back on orders", "10.15.2025 at 9:30 PM, open 24/7", "n = 40 among 1,200 older women",
])
def test_the_quick_tests_hold_on_awkward_spellings(text: str) -> None:
    assert_quick_tests_hold(text)


@settings(max_examples=300)
@given(copy_with_numbers)
def test_cites_is_whether_cited_sources_finds_one(text: str) -> None:
    for start, end in windows_of(text):
        assert references.cites(text, start, end) == bool(references.cited_sources(text, start, end))
        if references.AUTHOR_YEAR.search(text, start, end):
            assert references._AUTHOR_YEAR_NEEDS.search(text, start, end), text[start:end]


@settings(max_examples=300)
@given(copy_with_numbers)
def test_page_wide_word_tests_hold_for_every_match(text: str) -> None:
    if citation.OWN_NAME.search(text):
        assert any(word in text for word in citation.OWN_NAME_WORDS)
    if citation.OWNER_BLOCK.search(text):
        assert citation._may_hold(text, citation.OWNER_WORDS)


def test_all_non_statistic_answers_as_before_on_real_looking_copy() -> None:
    text = ("Take 2 capsules (500 mg) twice daily for 8-12 weeks. About 30% of adults sleep badly, "
            "and a review of 43 trials found 1 in 4 relapse. Save 15% today; open 9 a.m. to 5 p.m. "
            "Omega-3 and B12 at 1200 Harbor View Road, Suite 4B.")
    for found in numbers.DIGITS.finditer(text):
        expected = next((name for name, pattern in numbers.CLASSES
                         for m in pattern.finditer(text, max(0, found.start() - numbers.CONTEXT_BEFORE),
                                                   min(len(text), found.end() + numbers.CONTEXT_AFTER))
                         if m.start() <= found.start() and found.end() <= m.end()), None)
        assert numbers.all_non_statistic(text, found.start(), found.end()) == expected
    assert numbers.all_non_statistic(text, text.index("30%"), text.index("30%") + 13) is None
    assert numbers.all_non_statistic(text, text.index("500"), text.index("500") + 6) == "dose"


def test_the_fold_exceptions_are_the_scanners() -> None:
    assert numbers._FOLD_EXCEPTIONS == FOLD_EXCEPTIONS


@pytest.mark.parametrize("host", ["cdc.gov", "www.nih.gov", "a.b.example.com", "example.com", "xexample.com",
                                  "example.com.evil.net", "co.uk", "", "trailing."])
def test_matches_any_is_domain_matches_for_each_domain(host: str) -> None:
    domains = frozenset({"example.com", "nih.gov", "evil.net", "uk", ""})
    assert references.matches_any(host, domains) == any(references.domain_matches(host, d) for d in domains)


@pytest.mark.parametrize("rule", ["citations/unsourced-statistic", "citations/unsourced-attribution",
                                  "citations/unsourced-consensus", "citations/page-without-sources"])
def test_explain_names_the_standards(cli, rule: str) -> None:
    result = cli("explain", rule)
    assert result.code == 0
    assert "FTC Health Products Compliance Guidance (2022)" in result.out
    assert "Silberg" in result.out and "JAMA 1997" in result.out


# ---------------------------------------------------------------------------- the shared seeds


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared seeds not present")
def test_seed_000_statistics_and_attributions() -> None:
    path = SHARED_SEEDS / "000_7d29fee4046db477.txt"
    found = Linter(Config(), select=["citations"]).lint_paths([str(path)]).diagnostics
    matched = " | ".join(d.match for d in found if d.category == "needs-citation")
    for phrase in ("approximately 30% of people", "only 60-70% of patients", "research suggests",
                   "Mounting evidence suggests", "20% of your body's energy", "As many as two-thirds"):
        assert phrase in matched
    for never in ("7 mins", "10.15.2025", "Omega-3", "B-complex", "60 years"):
        assert never not in matched


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared seeds not present")
def test_seed_002_only_links_to_its_own_site() -> None:
    path = SHARED_SEEDS / "002_cf106547335b4f1d.txt"
    found = Linter(Config(), select=["citations"]).lint_paths([str(path)]).diagnostics
    cited = [d for d in found if d.category == "needs-citation"]
    assert {d.match for d in cited} == {"Research suggests", "one of the most consistent biological findings"}
    assert all("only links to your own site (integrative-psych.org" in d.message for d in cited)
