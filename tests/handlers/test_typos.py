"""English typos against the glossary: lone count -> loan count, traget -> target; real
words kept."""

import json
from pathlib import Path

from bot.cli import main
from handlers.normalize import correct_typos, sound_distance
from handlers.wordlists import glossary
from tests.conftest import SAMPLE


def test_sound_distance_weighs_vowels_and_swaps_half() -> None:
    assert sound_distance("lone", "loan") == 1.0  # a vowel added, one dropped
    assert sound_distance("traget", "target") == 0.5  # two neighbours swapped
    assert sound_distance("lone", "line") == 0.5
    assert sound_distance("fund", "find") == 0.5
    assert sound_distance("lone", "bone") == 1.0


def test_a_word_that_sounds_like_a_phrase_word_is_corrected() -> None:
    terms = glossary()
    assert correct_typos("what is the lone count traget", terms) == (
        "what is the loan count target"
    )


def test_real_words_near_a_glossary_word_are_kept() -> None:
    text = "how many days of data for three loads with their money"
    assert correct_typos(text, glossary()) == text


def test_the_misspelt_question_answers_like_the_spelt_one(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    assert main(["import", "--db", db, str(SAMPLE)]) == 0
    answers = []
    for question in ("what is the lone count traget", "what is the loan count target"):
        capsys.readouterr()
        assert main(["ask", "--json", "--db", db, question]) == 0
        answers.append(json.loads(capsys.readouterr().out)["answers"])
    assert answers[0] == answers[1] and len(answers[0]) == 1
    assert answers[0][0]["name"] == "发放贷款笔数"
