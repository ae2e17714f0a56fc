"""The grammar and its generator: the rule syntax, the locale overlays, the limits it refuses,
and the checked-in files it writes (models, NLU sets, the what-you-can-say page)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from skill.grammar import limits
from skill.grammar.build import build_model, distinct
from skill.grammar.outputs import generated_files, stale_files
from skill.grammar.render import Phrasing, nlu_annotations, read_kept_samples
from skill.grammar.source import GrammarSource, read_grammar
from skill.grammar.syntax import GrammarError, expand
from skill.understanding import InteractionModel, understand
from tests.conftest import MODELS, ROOT

FIRST_RELEASE = ROOT / "tests" / "phrasings" / "first-release-samples.tsv"


@pytest.fixture(scope="module")
def grammar() -> GrammarSource:
    return read_grammar()


def test_the_checked_in_files_are_the_generated_ones() -> None:
    """Every model, NLU set and the what-you-can-say page equals what `band-coach models`
    writes from the grammar: edit the grammar and regenerate, never the outputs."""
    assert stale_files() == []


def test_the_generator_writes_every_locale(grammar: GrammarSource) -> None:
    """One model and one NLU set per locale of the grammar, and the page."""
    files, _ = generated_files(grammar)
    assert {p for p in files if p.parent.name == "interaction_models"} == {
        Path("interaction_models") / f"{locale}.json" for locale in grammar.locales}
    assert len([p for p in files if p.parent.name == "nlu"]) == len(grammar.locales)


@pytest.mark.parametrize(("rule", "samples"), [
    ("count {pace}", ["count {pace}"]),
    ("[can you] count [a bit|a little] {pace}",
     ["count {pace}", "count a bit {pace}", "count a little {pace}", "can you count {pace}",
      "can you count a bit {pace}", "can you count a little {pace}"]),
    ("(a [b|c d]|e)", ["a", "a b", "a c d", "e"]),
    ("what's (up|new)", ["what's up", "what is up", "what's new", "what is new"]),
])
def test_rules_expand_to_every_sample(rule: str, samples: list[str]) -> None:
    """Alternatives, optional words, nesting and contractions written once."""
    assert expand(rule, {"what's": "what is"}) == samples


@pytest.mark.parametrize("rule", ["(a|b", "a]", "a | b", "[a|b]"])
def test_broken_rules_are_refused(rule: str) -> None:
    """Unbalanced brackets, a bare bar or a rule that can be empty is an error."""
    with pytest.raises(GrammarError):
        expand(rule)


def test_every_first_release_sample_is_kept() -> None:
    """The generated models say all the first release's hand-kept models said."""
    models = {p.stem: json.loads(p.read_text()) for p in MODELS.glob("*.json")}
    missing = []
    for line in FIRST_RELEASE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        locales, intent, sample = line.split("\t")
        for locale in models if locales == "*" else locales.split(","):
            language = models[locale]["interactionModel"]["languageModel"]
            samples = {s for i in language["intents"] if i["name"] == intent for s in i["samples"]}
            if sample not in samples:
                missing.append((locale, intent, sample))
    assert missing == []


def test_locale_overlays_add_their_words(grammar: GrammarSource) -> None:
    """en-GB adds "programme", "colour" and "have a go" beside the shared wording; en-US
    has none of them in its samples. (The matcher reads "programme" as "program" in every
    locale, a spelling being the transcriber's; "have a go" is en-GB's own.)"""
    gb, us = build_model(grammar, "en-GB"), build_model(grammar, "en-US")
    for words in ("what week of the programme is it", "what colour band should i use",
                  "let's have a go at today's workout"):
        assert words in _all_samples(gb.document)
        assert words not in _all_samples(us.document)
    assert understand(InteractionModel.load("en-GB"), "let's have a go at today's workout",
                      tolerant=False).exact
    assert not understand(InteractionModel.load("en-US"), "let's have a go at today's workout",
                          tolerant=False).exact


def _all_samples(document: dict[str, object]) -> set[str]:
    language = document["interactionModel"]["languageModel"]  # type: ignore[index]
    return {sample for intent in language["intents"] for sample in intent["samples"]}


def test_every_intent_stays_within_the_sample_budget(grammar: GrammarSource) -> None:
    """No intent has more samples than the budget, and the main ones have many."""
    for locale in grammar.locales:
        counts = build_model(grammar, locale).samples_per_intent
        assert max(counts.values()) <= limits.MAX_SAMPLES_PER_INTENT
        assert counts["StartWorkoutIntent"] >= 100


def _with_rule(grammar: GrammarSource, intent: str, rule: str) -> GrammarSource:
    intents = tuple(replace(i, rules=(*i.rules, rule)) if i.name == intent else i
                    for i in grammar.intents)
    return replace(grammar, intents=intents)


@pytest.mark.parametrize(("intent", "rule", "breach"), [
    ("ThanksIntent", "start my band workout", "sample of both"),
    ("ChangePaceIntent", "{pace}", "answers no question"),
    ("ThanksIntent", "thanks {coach}", "undeclared"),
    ("ThanksIntent", "thanks!", "characters"),
    ("ThanksIntent", "(a|b|c|d|e|f|g|h) (a|b|c|d|e|f|g|h) (a|b|c|d|e|f|g|h) (a|b|c|d|e|f|g|h)",
     "over the limit"),
    ("ThanksIntent", "thanks " + "very " * 50, "characters in"),
])
def test_a_grammar_that_breaks_a_rule_is_refused(
    grammar: GrammarSource, intent: str, rule: str, breach: str
) -> None:
    """A shared sample, a stray slot-only sample, a bad slot or character, too many samples
    or too long a sample: the generator refuses and names the breach."""
    with pytest.raises(GrammarError, match=breach):
        build_model(_with_rule(grammar, intent, rule), "en-US")


def test_the_page_shows_only_what_the_model_understands(grammar: GrammarSource) -> None:
    """Each example of docs/what-you-can-say.md is a literal sample of its intent."""
    model = InteractionModel.load("en-US")
    wrong = [(i.name, example) for i in grammar.intents for example in i.examples
             if understand(model, example, tolerant=False).intent != i.name]
    assert wrong == []
    page = (ROOT / "docs" / "what-you-can-say.md").read_text(encoding="utf-8")
    assert all(f'"{example}"' in page for i in grammar.intents for example in i.examples)


def test_the_command_checks_the_files(capsys: pytest.CaptureFixture[str]) -> None:
    """`band-coach models --check` exits 0 when every generated file is up to date."""
    from skill.cli import main

    assert main(["models", "--check"]) == 0
    assert capsys.readouterr().err == ""


def test_a_stale_file_is_named(tmp_path: Path) -> None:
    """A checked-in file that differs from the generated one is reported by its path."""
    files, _ = generated_files()
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    edited = Path("interaction_models") / "en-GB.json"
    (tmp_path / edited).write_text("{}\n", encoding="utf-8")
    assert stale_files(tmp_path) == [edited]


def test_nlu_annotations_give_custom_values_as_the_words_heard() -> None:
    """A value annotated by its id is given as the words the utterance names it by (the longest
    that fits), or its name when the utterance uses none; other values stay as written."""
    model = {"interactionModel": {"languageModel": {
        "intents": [{"name": "HowToIntent", "slots": [{"name": "exercise", "type": "EXERCISE"}]},
                    {"name": "ReportRepsIntent", "slots": [{"name": "count",
                                                            "type": "AMAZON.NUMBER"}]}],
        "types": [{"name": "EXERCISE", "values": [{"id": "bridge", "name": {
            "value": "bridge", "synonyms": ["bridges", "glute bridges"]}}]}]}}}
    phrasings = [Phrasing("HowToIntent", "how do i do glute bridges", {"exercise": "bridge"}),
                 Phrasing("HowToIntent", "how does the hip lift go", {"exercise": "bridge"}),
                 Phrasing("ReportRepsIntent", "i did nine", {"count": "nine"})]
    data = json.loads(nlu_annotations(phrasings, model))["data"]
    values = [item["expected"][0]["intent"]["slots"] for item in data]
    assert values == [{"exercise": {"value": "glute bridges"}}, {"exercise": {"value": "bridge"}},
                      {"count": {"value": "nine"}}]


def test_samples_the_matcher_reads_alike_are_written_once() -> None:
    """Within an intent, samples of one frame (equal but for carrier words, contractions or
    spelling) yield the shortest, in the order given; a pinned sample and one that writes a
    local spelling stay beside it, and different frames all stay."""
    slots = {"count": "AMAZON.NUMBER"}
    samples = ["can you start my workout please", "start my workout", "okay start my workout",
               "what is my plan", "what's my plan", "i did {count}", "okay i did {count} please",
               "show the program", "show the programme"]
    assert distinct(samples, slots) == ["start my workout", "what's my plan", "i did {count}",
                                        "show the program"]
    assert distinct(samples, slots, pinned={"okay start my workout"},
                    local_words={"programme"}) == [
        "start my workout", "okay start my workout", "what's my plan", "i did {count}",
        "show the program", "show the programme"]


def test_every_model_writes_each_frame_once(grammar: GrammarSource) -> None:
    """No intent of a generated model has two samples of one frame, the first release's, the
    examples and local spellings aside."""
    for locale in ("en-US", "en-GB"):
        document = build_model(grammar, locale).document
        local, kept = set(grammar.spellings[locale].values()), read_kept_samples(locale)
        for intent in document["interactionModel"]["languageModel"]["intents"]:
            slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
            examples = {e.lower() for i in grammar.intents if i.name == intent["name"]
                        for e in i.examples}
            samples = [s for s in intent["samples"] if not local & set(s.split())
                       and s not in kept.get(intent["name"], ()) and s not in examples]
            assert distinct(samples, slots) == samples, intent["name"]
