"""The stance rules on sentences written for these tests (none from the seeds or the development set): who holds a
stance, on what, and when a sentence states none."""

import pytest

from analysis.actors import ArticleContext
from analysis.evaluation import _code_of
from analysis.lexicon import load_yaml
from analysis.nlp import load_pipeline
from analysis.stances import stances_in

PIPES = ["tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "entity_ruler"]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline().nlp


@pytest.fixture(scope="module")
def parse(nlp):
    def run(text, context=None):
        with nlp.select_pipes(enable=PIPES):
            return {(s.code, s.stance) for s in stances_in(nlp(text), context)}

    return run


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a condemning adjective: the subject of the clause is opposed, never the actor whose deed it describes
        ("Estonia sent more aid to Ukraine in response to Russia's unprovoked invasion.",
         {("EST", "committed"), ("EST", "opposed")}),
        # who acts together with the subject shares what is done together
        ("Chile stands with Peru and Bolivia to condemn the coup.",
         {("CHL", "committed"), ("CHL", "opposed"), ("PER", "opposed"), ("BOL", "opposed")}),
        ("Ghana joins Togo in condemning the attack on the convoy.", {("GHA", "committed"), ("GHA", "opposed"),
                                                                     ("TGO", "opposed")}),
        # a passive stance stated in a text: the text's authors hold it
        ("The missile test was condemned in a joint statement by Ghana and Togo.", {("GHA", "opposed"),
                                                                                   ("TGO", "opposed")}),
        # what one country urges of another is the urger's stance only
        ("Kenya urged Somalia's leaders to agree on an election date.", {("KEN", "committed")}),
        # a pronoun in a clause takes the actor just named
        ("Norway welcomed Sweden's announcement that it will join the mission.", {("NOR", "committed"),
                                                                                  ("SWE", "committed")}),
        # two stances on two targets in one sentence
        ("Peru condemned the coup but welcomed the start of talks.", {("PER", "opposed"), ("PER", "committed")}),
        # "only ... if" on the second of two coordinated verbs
        ("Chile can only sign and ratify the treaty if Peru drops its demands.", {("CHL", "conditional")}),
        # a condition on a deed nobody owns is the speaker's
        ("Egypt stressed that any deployment would require a mandate from the Security Council.",
         {("EGY", "conditional")}),
        ("Spain and Portugal are among those that have voiced support for the plan.",
         {("ESP", "committed"), ("PRT", "committed")}),
        # the stance noun's own possessor under another's cue verb
        ("Norway supports Finland's bid to join the alliance.", {("NOR", "committed"), ("FIN", "committed")}),
        ("Canada will not waver in its support for the reforms.", {("CAN", "committed")}),
        ("Ireland is deeply disturbed by the closure of the newspaper.", {("IRL", "opposed")}),
        # a cue that is what another cue is about takes that one's stance: ready to provide is open, not committed
        ("Britain stands ready to provide whatever help it can.", {("GBR", "open")}),
        ("Norway refused to send observers to the vote.", {("NOR", "opposed")}),
        # a condition clause led by its own condition word
        ("Absent a deal on fishing rights, Iceland will oppose the treaty.", {("ISL", "conditional")}),
        ("Chile does not seek to exclude any bidder from the lithium auction provided they respect local labour law.",
         {("CHL", "conditional")}),
    ],
)
def test_holders_and_stances(parse, sentence, expected):
    assert parse(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Thirty countries and Japan joined the call online.",  # attendance
        "Mali is ready to meet the president next week.",  # a meeting
        "Why would Brazil support such a plan?",  # a question
        "Senegal launched an attack on the rebel camp.",  # an event
        "Qatar hosted Erdogan in Doha last week.",  # a visit
        "Oman needs to prepare the budget so it can fund the new port.",  # no condition, a purpose
        "The aid will help Nepal fight against the floods.",  # a preposition is a stance only after "is"
        "The South American group Mercosur welcomed the deal.",  # a region, not the United States
        "The Burmese military has committed atrocities against civilians.",  # a deed, not a commitment
        "The reserve should be opened up to logging, the ministry said.",  # what should be, not a stance
    ],
)
def test_sentences_that_state_no_stance(parse, sentence):
    assert parse(sentence) == set()


def test_a_government_text_speaks_for_its_parties(parse):
    joint = ArticleContext(author="USA", participants=("USA", "JPN", "KOR"), joint=True)
    assert parse("We condemn the launch of the missile.", joint) == {("USA", "opposed"), ("JPN", "opposed"),
                                                                      ("KOR", "opposed")}
    readout = ArticleContext(author="USA", participants=("USA", "FRA"))
    assert parse("We condemn the launch of the missile.", readout) == {("USA", "opposed")}
    assert parse("Both agreed to strengthen cooperation on energy.", readout) == {("USA", "committed"),
                                                                                 ("FRA", "committed")}
    assert parse("They welcomed the agreement.", ArticleContext(author="USA")) == set()
    # "The Secretary and Foreign Minister Lapid", parsed as one name with two titles, is two people
    guest = ArticleContext(author="USA", participants=("USA", "ISR"), people={"Lapid": "ISR"})
    assert parse("The Secretary and Foreign Minister Lapid agreed to expand cooperation on water security.",
                 guest) == {("USA", "committed"), ("ISR", "committed")}
    # a condemning word in a government's readout is the government's own, not its guest's; elsewhere the subject's
    sentence = "The United States and South Africa discussed the impact of Russia's brutal war on food prices."
    assert parse(sentence, ArticleContext(author="USA", participants=("USA", "ZAF"))) == {("USA", "opposed")}
    assert parse(sentence) == {("USA", "opposed"), ("ZAF", "opposed")}


def test_every_cue_example_states_its_stance_for_its_holder(nlp):
    cues = load_yaml("stance_cues.yaml")["cues"]
    failed = []
    with nlp.select_pipes(enable=PIPES):
        for cue in cues:
            found = {(s.code, s.stance) for s in stances_in(nlp(cue["example"]))}
            if (_code_of(cue["holder"]), cue["stance"]) not in found:
                failed.append((cue["lemma"], cue["example"], sorted(found)))
    print(f"\ncue examples: {len(cues) - len(failed)} of {len(cues)} state their stance; failing: {failed}")
    assert len({c["lemma"] for c in cues}) >= 150
    # spaCy's small model misparses a few sentences; more than 2% failing means a rule broke
    assert len(failed) <= len(cues) // 50
