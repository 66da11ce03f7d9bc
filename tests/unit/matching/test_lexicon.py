"""The name variant lexicon: the shipped file, its format, and how it is derived."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from scripts.derive_name_lexicon import main as derive_main

from passerelle.matching.lexicon import Lexicon, held_out, lexicon_rows, load_lexicon

# Rows in the order of the real file, with Arabic keys that are not held out.
_SMALL = [
    "# a comment",
    "",
    "حسين\t5\thussein:3 hossein:1 husain:1",
    "علي\t4\tali:4",
    "محمد\t6\tmohamed:4 muhammad:2",
    "محمدي\t1\tmohamed:1",
]


def test_the_shipped_lexicon_loads_once_and_is_not_empty() -> None:
    lexicon = load_lexicon()
    assert len(lexicon) > 30_000
    assert load_lexicon() is lexicon


def test_common_spellings_of_one_arabic_name_are_variants_of_each_other() -> None:
    lexicon = load_lexicon()
    assert {"mohamed", "muhammad", "mohammed"} <= lexicon.variants("mohamed")
    assert "mohamed" in lexicon.variants("muhammad")
    assert {"hussein", "hossein", "hussain"} <= lexicon.variants("hussein")
    assert {"mustafa", "mostafa", "moustapha"} <= set(lexicon.latin_forms("مصطفي"))
    assert lexicon.arabic_forms("mohamed")[0] == "محمد"
    assert lexicon.latin_forms("محمد")[0] == "mohamed"


def test_held_out_rule_is_frozen() -> None:
    # Changing the rule would let evaluation names leak into the shipped lexicon.
    assert held_out("يوسف")
    assert held_out("فاطمه")
    assert not held_out("محمد")
    assert not held_out("حسين")


def test_no_held_out_arabic_key_is_shipped() -> None:
    lexicon = load_lexicon()
    assert not [key for key in lexicon if held_out(key)]
    assert "يوسف" not in lexicon
    assert lexicon.latin_forms("يوسف") == ()


def test_held_out_takes_about_one_key_in_five() -> None:
    share = sum(held_out(f"key{i}") for i in range(10_000)) / 10_000
    assert 0.18 < share < 0.22


def test_lookups_rank_by_count_and_answer_empty_for_unknown_forms() -> None:
    lexicon = Lexicon.from_lines(_SMALL)
    assert len(lexicon) == 4
    assert "محمد" in lexicon
    assert "mohamed" not in lexicon
    assert lexicon.latin_forms("حسين") == ("hussein", "hossein", "husain")
    assert lexicon.arabic_forms("mohamed") == ("محمد", "محمدي")
    assert lexicon.latin_count("mohamed") == 5
    assert lexicon.arabic_count("محمد") == 6
    assert lexicon.arabic_forms("zzz") == ()
    assert lexicon.latin_count("zzz") == 0
    assert lexicon.arabic_count("zzz") == 0
    assert lexicon.variants("zzz") == frozenset({"zzz"})


def test_variants_take_one_step_through_shared_arabic_keys() -> None:
    lexicon = Lexicon.from_lines(_SMALL)
    assert lexicon.variants("muhammad") == frozenset({"mohamed", "muhammad"})
    assert lexicon.variants("ali") == frozenset({"ali"})


def test_rows_written_and_read_back_give_the_same_lexicon() -> None:
    spellings = {"محمد": [("muhammad", 2), ("mohamed", 4)], "علي": [("ali", 4)]}
    rows = list(lexicon_rows(spellings))
    assert rows == ["علي\t4\tali:4", "محمد\t6\tmohamed:4 muhammad:2"]
    assert Lexicon.from_lines(rows).latin_forms("محمد") == ("mohamed", "muhammad")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("سمير\t1", "3 tab-separated fields"),
        ("سمير\tone\tsamir:1", "positive total count"),
        ("سمير\t1\tSamir:1", "latin:count"),
        ("سمير\t1\tsamir:0", "latin:count"),
        ("سمير\t2\tsamir:1", "not the sum"),
        ("سمير\t2\tsamir:1 samir:1", "appears twice"),
        ("محمد\t1\tmohamed:1", "appears twice"),
        ("س مير\t1\tsamir:1", "contains spaces"),
    ],
)
def test_a_malformed_row_is_refused_naming_its_line(bad_row: str, message: str) -> None:
    lines = ["# header", "محمد\t2\tmohamed:2", bad_row]
    with pytest.raises(ValueError, match=message) as raised:
        Lexicon.from_lines(lines)
    assert str(raised.value).startswith("line 3:")


def test_a_lexicon_built_directly_refuses_non_positive_counts() -> None:
    with pytest.raises(ValueError, match="positive counts"):
        Lexicon({"محمد": [("mohamed", 0)]})
    with pytest.raises(ValueError, match="positive counts"):
        Lexicon({"محمد": []})


def _mini_sources(folder: Path) -> None:
    (folder / "netransliteration-wd_arabic.tsv").write_text(
        "mohamed\tم ح م د\t3\n"
        "Mohamed\tم ح م د\t1\n"  # folds onto the row above: counts are summed
        "muhammad\tم ح م د\t2\n"
        "d'arlandes\tد ا ر ل ا ن د\t1\n"  # folds to two words: dropped
        "prince\tا ل أ م ي ر\t5\n"  # a translation: the initial sounds disagree
        "ii\tا ل ث ا ن ي\t9\n"  # an ordinal: too short for its Arabic form
        "yusuf\tي و س ف\t2\n",  # held out
        encoding="utf-8",
    )
    (folder / "google-ar2en-train.txt").write_text(
        "محمد\tmuhammad\nحُسَين\thussein\n", encoding="utf-8"
    )
    (folder / "google-ar2en-eval.txt").write_text("سمير\tsamir\n", encoding="utf-8")


def test_derivation_groups_filters_and_is_byte_for_byte_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _mini_sources(tmp_path)
    first, again = tmp_path / "first.tsv.gz", tmp_path / "again.tsv.gz"
    assert derive_main(["--names", str(tmp_path), "--out", str(first)]) == 0
    assert derive_main(["--names", str(tmp_path), "--out", str(again)]) == 0
    assert first.read_bytes() == again.read_bytes()
    text = gzip.decompress(first.read_bytes()).decode("utf-8")
    rows = [line for line in text.splitlines() if not line.startswith("# ")]
    assert rows == ["حسين\t1\thussein:1", "محمد\t7\tmohamed:4 muhammad:3"]
    assert "Held out" in text
    assert "CC0 1.0" in text
    assert "Apache License 2.0" in text
    assert "Arabic key held out: 1" in capsys.readouterr().err
