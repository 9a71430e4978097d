import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import BODY, CHROME, clean_text
from analysis.corpus import read_corpus
from analysis.htmlpage import parse_html
from tests.conftest import SEEDS

MIN_BODY_KEPT = 0.98
MIN_CHROME_REMOVED = 0.95


def _seed_verdicts():
    corpus = read_corpus(SEEDS)
    return {d.document: {line.number: line for line in d.cleaned.lines} for d in corpus.documents}


def test_cleaning_quality_gate(gold):
    verdicts = _seed_verdicts()
    body_total = body_kept = chrome_total = chrome_removed = 0
    for name, expected in gold["documents"].items():
        lines = verdicts[name]
        body_total += len(expected["body_lines"])
        body_kept += sum(lines[n].kind == BODY for n in expected["body_lines"])
        chrome_total += len(expected["chrome_lines"])
        chrome_removed += sum(lines[n].kind != BODY for n in expected["chrome_lines"])
    kept, removed = body_kept / body_total, chrome_removed / chrome_total
    print(f"\ncleaning gate: {kept:.1%} of {body_total} gold body lines kept, "
          f"{removed:.1%} of {chrome_total} gold chrome lines removed")
    assert kept >= MIN_BODY_KEPT
    assert removed >= MIN_CHROME_REMOVED


def test_seed_004_body_has_every_paragraph_and_no_menu_or_footer(gold):
    doc = next(d for d in read_corpus(SEEDS).documents if d.document.startswith("004_"))
    source = doc.text.split("\n")
    for number in gold["documents"][doc.document]["body_lines"]:
        assert re.sub(r"\s+", " ", source[number - 1]).strip() in doc.body
    for needle in ("Close Menu", "Tech zone", "Money Saving Expert", "Copyright WTX News", "Press Esc to cancel",
                   "Rachel Reeves", "Related Posts", "Leave A Reply", "GDPR Policy"):
        assert needle not in doc.body


def test_every_removed_line_says_why():
    for lines in _seed_verdicts().values():
        for line in lines.values():
            if line.kind == CHROME:
                assert line.reason


def test_author_bio_and_trailing_news_feed_are_chrome():
    lines = _seed_verdicts()["001_2efbc909c1ace07d.txt"]
    assert lines[48].kind == CHROME and lines[48].reason == "author biography"
    assert lines[54].kind == CHROME  # an unrelated news-feed item after "Read more"


def test_prose_mentioning_chrome_words_survives():
    text = (
        "Menu\n\nThe minister said the newsletter of the defence committee, which members receive by email, "
        "had leaked the plan to subscribe more countries to the coalition before the summit.\n\n"
        "Officials added that copyright rules did not apply to leaked government documents of this kind.\n"
    )
    cleaned = clean_text(text)
    assert [line.kind for line in cleaned.lines if line.text] == [CHROME, BODY, BODY]


def test_short_article_is_not_thrown_away():
    cleaned = clean_text("Ministers met. They agreed on a plan for the force today.")
    assert cleaned.body == "Ministers met. They agreed on a plan for the force today."


def test_body_offsets_point_at_their_lines():
    cleaned = clean_text("Intro menu\n\nFirst paragraph of the story is here and it is long enough.\n\n"
                         "Second one, also a full sentence of text.")
    for number, start in cleaned.paragraph_starts:
        line = cleaned.lines[number - 1].text.strip()
        assert cleaned.body[start : start + len(line)] == line
        assert cleaned.line_at(start) == number


def test_hostile_html_keeps_text_and_drops_active_content():
    page = parse_html(
        "<html><body><script>document.write('pwned')</script><style>p{}</style>"
        "<iframe src='javascript:alert(1)'>frame text</iframe>"
        "<p onmouseover='alert(1)'>The <a href='javascript:alert(2)'>ministers</a> met today to agree a plan "
        "for the force, officials said on Thursday evening.</p><!-- comment --></body></html>"
    )
    assert "pwned" not in page.text and "frame text" not in page.text and "comment" not in page.text
    assert "The ministers met today" in page.text


def test_html_article_through_trafilatura(tmp_path):
    paragraphs = [
        "Defence ministers from nine countries met in Brussels on Thursday to plan a reassurance force for Ukraine.",
        "Officials said the planning cell would report back within a month, and that several capitals had "
        "offered staff.",
        "The ministers did not say how many soldiers each country would send, but diplomats described the talks "
        "as detailed.",
    ]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    (tmp_path / "page.html").write_text(
        "<html><head><title>Ministers plan force</title><meta property='og:site_name' content='Example Times'></head>"
        "<body><nav><ul><li>Home</li><li>World</li><li>Sport</li></ul></nav><article><h1>Ministers plan force</h1>"
        f"{body}</article><footer><p>Privacy Policy</p><p>Copyright Example Times 2025</p></footer></body></html>",
        encoding="utf-8",
    )
    doc = read_corpus(tmp_path).documents[0]
    assert doc.body == "\n\n".join(paragraphs)
    assert doc.metadata["outlet"] == "Example Times" and doc.metadata_source["outlet"] == "page metadata"
    assert {line.text for line in doc.cleaned.lines if line.kind == CHROME} >= {"Privacy Policy", "Sport"}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_cleaner_never_raises_and_body_comes_from_the_text(text):
    cleaned = clean_text(text)
    normal_text = re.sub(r"\s+", " ", text)
    for paragraph in cleaned.body.split("\n\n"):
        if paragraph:
            assert paragraph in normal_text


def test_the_sentence_introducing_a_quoted_statement_is_its_lede():
    """ "The Foreign Ministers of A, B and C issued the following statement:" names who speaks in the text after it:
    kept as article text though it ends in a colon and is mostly names; the "Begin Text:" marker is no prose."""
    intro = ("The Foreign Ministers of Chile, Peru, Colombia and Ecuador, and the Secretary General of the Andean "
             "Community, issued the following statement:")
    text = (f"Office of the Spokesperson\n\n{intro}\n\nBegin Text:\n\nWe condemn the attack on the border post and "
            "call for those responsible to be brought to justice without delay.\n\nWe will continue to support the "
            "people of the region in their search for a lasting and peaceful settlement.\n")
    cleaned = clean_text(text)
    kinds = {line.text: line.kind for line in cleaned.lines if line.text}
    assert kinds[intro] == BODY and cleaned.body.startswith(intro)
    assert kinds["Begin Text:"] != BODY and kinds["Office of the Spokesperson"] == CHROME
