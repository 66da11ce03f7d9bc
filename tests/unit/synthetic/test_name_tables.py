"""Hand-written name tables: coverage, romanisations, particles and drift helpers."""

from __future__ import annotations

import random

from passerelle.synthetic.forms import respell_from_french
from passerelle.synthetic.names_arabic import ARABIC_FAMILY, ARABIC_FEMALE, ARABIC_MALE
from passerelle.synthetic.pools import POOLS
from passerelle.synthetic.variation import (
    ocr_confuse,
    particle_variants,
    strip_diacritics,
    typo,
)


def _by_script(script: str) -> tuple[str, ...]:
    for forms in (*ARABIC_MALE, *ARABIC_FEMALE, *ARABIC_FAMILY):
        if forms.arabic == script:
            return (*forms.latin, *forms.spellings)
    raise AssertionError(script)


def test_every_pool_has_forty_given_names_of_both_sexes_and_forty_family_names() -> None:
    assert len(POOLS) >= 12
    for origin, pool in POOLS.items():
        assert len(pool.male.items) + len(pool.female.items) >= 40, origin
        assert len(pool.male.items) >= 20, origin
        assert len(pool.female.items) >= 20, origin
        assert len(pool.family.items) >= 40, origin


def test_arabic_names_carry_the_documented_romanisations() -> None:
    youssef = ARABIC_MALE[[f.arabic for f in ARABIC_MALE].index("يوسف")]
    assert youssef.latin == ("Youssef", "Yusef", "Jusuf", "Yusuf", "Jussuf")
    assert {"Khaled", "Khalid", "Jalid", "Chalid"} <= set(_by_script("خالد"))
    assert {"Chakib", "Shakib", "Sjakib"} <= set(_by_script("شكيب"))
    assert {"Abdeslam", "Abdesalam", "Abd al-Salam", "Abdessalam"} <= set(_by_script("عبد السلام"))
    assert {"El Amrani", "Al-Amrani", "Amrani"} <= set(_by_script("العمراني"))
    assert {"Benali", "Ben Ali"} <= set(_by_script("بن علي"))
    assert {"Mohamed", "Mohammed", "Muhammad"} <= set(_by_script("محمد"))


def test_amazigh_names_are_respelt_from_their_french_transcription() -> None:
    assert respell_from_french("Bouchaïb", "en") == "Bushaib"
    assert respell_from_french("Bouchaïb", "de") == "Buschaib"
    assert respell_from_french("Ouhaddou", "nl") == "Oehaddoe"
    assert respell_from_french("Djedjiga", "es") == "Yeyiga"
    assert respell_from_french("Aït Ali", "fr") == "Aït Ali"


def test_particles_are_written_apart_joined_or_dropped() -> None:
    assert {"Amrani", "Al-Amrani", "Elamrani"} <= set(particle_variants("El Amrani"))
    assert "Benali" in particle_variants("Ben Ali")
    assert "Vandenbroeck" in particle_variants("Van den Broeck")
    assert "Ndiaye" in particle_variants("N'Diaye")
    assert "García" in particle_variants("García López", double_surname=True)
    assert particle_variants("Martin") == []


def test_accents_are_stripped_like_databases_do() -> None:
    assert strip_diacritics("García Muñoz") == "Garcia Munoz"
    assert strip_diacritics("Yılmaz Şahin") == "Yilmaz Sahin"
    assert strip_diacritics("Łukasz Wiśniewski") == "Lukasz Wisniewski"


def test_typos_and_ocr_confusions_change_one_thing_only() -> None:
    rng = random.Random(0)
    for word in ("Benjelloun", "Peeters", "Nguyen", "Diallo", "Omar", "Gil") * 100:
        changed = typo(word, rng)
        assert changed != word
        assert abs(len(changed) - len(word)) <= 1
        assert changed[0] == word[0]
    assert ocr_confuse("777", rng) != "777"
    for number in ("19AB12345", "EM773609", "C01X00T47", "N4747"):
        confused = ocr_confuse(number, rng)
        assert confused != number
        assert len(confused) == len(number)
