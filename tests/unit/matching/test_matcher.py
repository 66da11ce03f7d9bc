"""The screening index: incremental changes, screening, persistence and refusal of bad files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from passerelle.matching.matcher import Matcher, MatcherFileError
from passerelle.matching.model import MatchingInputError, PersonEntry
from passerelle.synthetic import PeopleGenerator
from passerelle.synthetic.entries import as_entry

YOUSSEF = PersonEntry("W-1", "Youssef El Amrani", name_original_script="يوسف العمراني",
                      date_of_birth="1990-03-14", nationalities=("MA",),
                      document_number="QF1234567", document_country="MA")


@pytest.fixture(scope="module")
def crowd() -> list[PersonEntry]:
    generator = PeopleGenerator(11)
    return [as_entry(p, f"P-{p.key}") for p in generator.people(3000)]


@pytest.fixture
def matcher(crowd: list[PersonEntry]) -> Matcher:
    m = Matcher()
    assert m.add_many([*crowd, YOUSSEF]) == len(crowd) + 1
    return m


@pytest.mark.parametrize("traveller", [
    PersonEntry("T", "Yusuf al-Amrani", date_of_birth="1990-03-14"),
    PersonEntry("T", "يوسف العمراني", date_of_birth="1990-03"),
    PersonEntry("T", "Amrani Jusuf", date_of_birth="1990-03-14"),
    PersonEntry("T", "Y. Amrani", document_number="QF12345G7"),
])
def test_variants_of_a_listed_person_are_found(matcher: Matcher,
                                               traveller: PersonEntry) -> None:
    hits = matcher.query(traveller)
    assert [h.entry_id for h in hits][:1] == ["W-1"], [(h.entry_id, h.explanation) for h in hits]
    assert hits[0].explanation


def test_added_entry_is_found_at_once_and_removed_entry_no_more(matcher: Matcher) -> None:
    newcomer = PersonEntry("W-2", "Chakib Abdeslam", date_of_birth="1987-11-02")
    traveller = PersonEntry("T", "Shakib Abd al-Salam", date_of_birth="1987-11-02")
    assert not any(h.entry_id == "W-2" for h in matcher.query(traveller))
    matcher.add(newcomer)
    assert "W-2" in matcher
    assert matcher.query(traveller)[0].entry_id == "W-2"
    assert matcher.remove("W-2")
    assert "W-2" not in matcher
    assert not any(h.entry_id == "W-2" for h in matcher.query(traveller))
    assert not matcher.remove("W-2")


def test_adding_an_existing_id_replaces_the_entry(matcher: Matcher) -> None:
    size = len(matcher)
    matcher.add(PersonEntry("W-1", "Khadija Cherkaoui", date_of_birth="1992-06-01"))
    assert len(matcher) == size
    assert not any(h.entry_id == "W-1" for h in matcher.query(
        PersonEntry("T", "Youssef El Amrani", date_of_birth="1990-03-14")))
    assert matcher.query(PersonEntry("T", "Khadija Sharqawi",
                                     date_of_birth="1992-06-01"))[0].entry_id == "W-1"


def test_many_single_adds_survive_compaction(crowd: list[PersonEntry]) -> None:
    m = Matcher()
    for entry in crowd[:500]:
        m.add(entry)
    m.compact()
    for entry in crowd[:500:50]:
        assert entry.id in [h.entry_id for h in m.query(entry, threshold=0.0)]


def test_query_many_keeps_input_order_and_threshold(matcher: Matcher) -> None:
    travellers = [PersonEntry(f"T-{i}", name) for i, name in
                  enumerate(["Yusuf Amrani", "Zofia Kowalczyk-Nakamura", "يوسف العمراني"])]
    results = list(matcher.query_many(travellers, threshold=0.0, top=3))
    assert [e.id for e, _ in results] == ["T-0", "T-1", "T-2"]
    assert all(len(hits) <= 3 for _, hits in results)
    strict = list(matcher.query_many(travellers, threshold=0.999))
    assert all(h.score >= 0.999 for _, hits in strict for h in hits)


def test_bad_entries_are_refused_naming_the_field(matcher: Matcher) -> None:
    with pytest.raises(MatchingInputError) as error:
        matcher.add(PersonEntry("X", ""))
    assert error.value.field == "full_name"
    with pytest.raises(MatchingInputError) as error:
        matcher.query(PersonEntry("X", "Ana Ruiz", date_of_birth="1990-02-30"))
    assert error.value.field == "date_of_birth"
    with pytest.raises(MatchingInputError):
        Matcher(threshold=1.5)


def test_entries_before_a_bad_one_stay_indexed_and_searchable() -> None:
    m = Matcher()
    with pytest.raises(MatchingInputError):
        m.add_many([PersonEntry("a", "Ana Ruiz Ortega", date_of_birth="1985"),
                    PersonEntry("b", "")])
    assert "a" in m
    assert "b" not in m
    assert m.query(PersonEntry("T", "Ana Ruiz Ortega", date_of_birth="1985"))[0].entry_id == "a"


def test_progress_is_reported() -> None:
    seen: list[int] = []
    entries = [as_entry(p, str(p.key)) for p in PeopleGenerator(2).people(25_000)]
    Matcher().add_many(entries, progress=seen.append)
    assert seen == [10_000, 20_000, 25_000]


def test_save_and_load_round_trip(matcher: Matcher, tmp_path: Path) -> None:
    matcher.add(PersonEntry("W-3", "Pieter Van den Broeck", date_of_birth="1979"))
    matcher.remove("P-1")
    path = tmp_path / "watchlist.npz"
    matcher.save(path)
    loaded = Matcher.load(path)
    assert len(loaded) == len(matcher)
    assert "P-1" not in loaded
    assert "W-3" in loaded
    traveller = PersonEntry("T", "Pieter Vandenbroeck", date_of_birth="1979")
    assert loaded.query(traveller)[0].entry_id == "W-3"
    assert [h.score for h in loaded.query(traveller)] == [h.score for h in matcher.query(traveller)]
    loaded.add(PersonEntry("W-4", "Nadia Bouzid", date_of_birth="2001-01-05"))
    assert loaded.query(PersonEntry("T", "Nadia Bouzid", date_of_birth="2001-01-05"))


def _rewrite(path: Path, change: dict[str, np.ndarray]) -> Path:
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays.update(change)
    target = path.with_name("changed.npz")
    with target.open("wb") as out:
        np.savez(out, **arrays)  # type: ignore[arg-type]
    return target


def test_damaged_or_foreign_files_are_refused(matcher: Matcher, tmp_path: Path) -> None:
    path = tmp_path / "watchlist.npz"
    matcher.save(path)
    (tmp_path / "junk.npz").write_bytes(b"not an index")
    with pytest.raises(MatcherFileError, match="not a readable index"):
        Matcher.load(tmp_path / "junk.npz")
    foreign = json.dumps({"format": "other", "version": 1}).encode()
    with pytest.raises(MatcherFileError, match="not a Passerelle matcher index"):
        Matcher.load(_rewrite(path, {"meta": np.frombuffer(foreign, dtype=np.uint8)}))
    with pytest.raises(MatcherFileError, match="postings point outside"):
        Matcher.load(_rewrite(path, {"postings": np.full(
            len(np.load(path)["postings"]), 10**9, dtype=np.int32)}))
    with pytest.raises(MatcherFileError, match="wrong array types"):
        Matcher.load(_rewrite(path, {"keys": np.load(path)["keys"].astype(np.int64)}))


def test_pickled_arrays_are_never_loaded(matcher: Matcher, tmp_path: Path) -> None:
    path = tmp_path / "watchlist.npz"
    matcher.save(path)
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"evil": True}], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("extra.npy", buffer.getvalue())
    with pytest.raises(MatcherFileError):
        Matcher.load(path)


def test_a_document_shared_with_someone_else_does_not_hide_the_name_match(
        matcher: Matcher) -> None:
    matcher.add(PersonEntry("W-9", "Lucas Vermeulen", date_of_birth="1969-05-30",
                            document_number="EH0011223"))
    traveller = PersonEntry("T", "Youssef Amrani", date_of_birth="1990-03-14",
                            document_number="EH0011223")  # Lucas Vermeulen's lost passport
    ids = [h.entry_id for h in matcher.query(traveller, threshold=0.2)]
    assert "W-1" in ids


def test_an_indexed_entry_keeps_each_of_its_nationalities_and_aliases() -> None:
    matcher = Matcher()
    entry = PersonEntry(id="w-1", given_name="Youssef", family_name="El Idrissi",
                        aliases=("Abou Yacine", "Y. Idrissi"), date_of_birth="1991-04-07",
                        nationalities=("FR", "MA"))
    matcher.add(entry)
    assert matcher.get("w-1") == entry
    traveller = PersonEntry(id="t-1", full_name="يوسف الإدريسي", date_of_birth="1991-07-04",
                            nationalities=("MA",))
    [hit] = matcher.query(traveller, threshold=0.0)
    assert "nationality: shared (MA)" in hit.explanation


def test_forked_workers_answer_as_this_process_does(matcher: Matcher) -> None:
    from passerelle.matching.parallel import forked_queries
    people = PeopleGenerator(seed=5)
    entries = [as_entry(people.variant_of(people.person(key), 1), f"t-{key}")
               for key in range(60)]
    expected = [matcher.query(entry) for entry in entries]
    with forked_queries(matcher, 2) as answer:
        assert answer(entries) == expected
        assert answer(entries[:3]) == expected[:3]
    with forked_queries(matcher, 1) as answer:
        assert answer(entries) == expected


def test_a_daemonic_process_screens_in_its_own_thread_instead_of_forking(
        matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from passerelle.matching import parallel
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert not parallel.can_fork()
    entry = as_entry(PeopleGenerator(seed=5).person(1), "t-1")
    with parallel.forked_queries(matcher, 2) as answer:
        assert answer([entry]) == [matcher.query(entry)]
