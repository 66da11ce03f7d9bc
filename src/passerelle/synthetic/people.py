"""Seeded generator of fictional people and of the records other agencies keep of them.

Why: ``passerelle seed``, the tests and the million-person benchmarks need people who
look like those the four partner agencies record, with realistic name frequencies and
spelling drift, yet who do not exist. Every attribute is drawn independently from
hand-written pools, so any resemblance to a real person is chance. There is no field
for religion, ethnicity or politics; the name-origin pool is only a linguistic device.

``person(key)`` depends only on ``(seed, key)``: 512 bits from a keyed BLAKE2b hash
are consumed as mixed-radix digits, which is both reproducible across machines and
Python versions and fast (no per-person ``random.Random`` seeding).
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from passerelle.synthetic.documents import document_index, document_number
from passerelle.synthetic.forms import CONVENTION_INDEX, LATIN_CONVENTIONS, NameForms
from passerelle.synthetic.places import COUNTRY_CONVENTION, DEFAULT_CONVENTION, City
from passerelle.synthetic.pools import (
    AGES,
    ARABIC_SCRIPT_ORIGINS,
    CITY_LOOKUP,
    CITY_TABLES,
    DEFAULT_DATE_ORIGINS,
    ELSEWHERE,
    ORIGINS,
    POOLS,
    Pool,
)
from passerelle.synthetic.variation import (
    compound_variants,
    mrz_spelling,
    ocr_confuse,
    particle_variants,
    strip_diacritics,
    typo,
)

#: Birth years are counted back from this fixed year, never from today, so that the
#: same seed gives the same people whenever it runs.
REFERENCE_YEAR = 2025

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ARABIC_INDEX = len(LATIN_CONVENTIONS)  # index of the Arabic spelling of a City


@dataclass(frozen=True, slots=True)
class SyntheticName:
    """A name as one record holds it.

    ``given`` and ``family`` are in Latin script, except in records written in Arabic
    script (``spelling == "ar"``, produced only by :meth:`PeopleGenerator.variant_of`).
    ``origin`` is the linguistic pool the name was drawn from, to generate diverse
    names; it must never be exposed as an attribute of a person.
    """

    given: str
    family: str
    original_script: str | None
    spelling: str
    origin: str


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    """A fictional person as one agency records them.

    ``key`` identifies the person: variants keep the key of the person they describe,
    so it is the ground truth for matching benchmarks. Birth month and day may be
    missing (never a day without a month). An empty ``document_number`` or
    ``place_of_birth`` means the record lacks it (only in variants).
    """

    key: int
    name: SyntheticName
    aliases: tuple[str, ...]
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    place_of_birth: str
    nationalities: tuple[str, ...]
    sex: str
    document_number: str
    document_country: str


def days_in_month(year: int, month: int) -> int:
    """Days in ``month`` of ``year`` (Gregorian)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


class PeopleGenerator:
    """Reproducible source of fictional people: the same seed always gives the same people."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        digest = hashlib.blake2b(f"passerelle-synthetic:{seed}".encode(), digest_size=32).digest()
        self._salt = digest[:16]
        self._doc_salt = int.from_bytes(digest[16:24], "little")

    def _random_int(self, key: int) -> int:
        # 512 random bits for (seed, key). Draws below take them as mixed-radix digits
        # (``v, x = divmod(v, n)`` gives x uniform in [0, n)), inlined for speed.
        if key < 0:
            raise ValueError("person keys are non-negative")
        data = key.to_bytes((key.bit_length() + 8) // 8, "little")
        raw = hashlib.blake2b(data, digest_size=64, key=self._salt).digest()
        return int.from_bytes(raw, "little")

    def person(self, key: int) -> SyntheticPerson:
        """The person number ``key``; independent of any other key."""
        v = self._random_int(key)
        o = ORIGINS
        v, x = divmod(v, o.total)
        pool = o.items[bisect_right(o.cumulative, x)]
        origin = pool.origin

        v, s = divmod(v, 1000)
        sex = "X" if s < 3 else "F" if s < 500 else "M"
        t = pool.female if sex == "F" or (sex == "X" and s % 2) else pool.male
        v, x = divmod(v, t.total)
        given = t.items[bisect_right(t.cumulative, x)]
        t = pool.family
        v, x = divmod(v, t.total)
        family = t.items[bisect_right(t.cumulative, x)]
        n = pool.nationalities
        v, x = divmod(v, n.total)
        nats = n.items[bisect_right(n.cumulative, x)]
        country = nats[0]

        v, r = divmod(v, 100)
        conv = COUNTRY_CONVENTION.get(country, DEFAULT_CONVENTION)
        if country == "BE":  # Flemish or francophone civil status
            conv = "nl" if r < (90 if origin == "dutch" else 35) else "fr"
        ci = CONVENTION_INDEX[conv]
        given_text = given.latin[ci]
        family_text = family.latin[ci]
        if origin == "iberian" and conv == "es" and r < 85:  # two surnames
            v, x = divmod(v, t.total)
            family_text = f"{family_text} {t.items[bisect_right(t.cumulative, x)].latin[ci]}"
        original = (
            f"{given.arabic} {family.arabic}" if given.arabic and family.arabic else None
        )

        a = AGES
        v, x = divmod(v, a.total)
        birth_year = REFERENCE_YEAR - a.items[bisect_right(a.cumulative, x)]
        v, p = divmod(v, 100)
        month: int | None = None
        day: int | None = None
        if p >= 15:
            if p < 18 and origin in DEFAULT_DATE_ORIGINS:  # unknown date registered as 1/1
                month, day = 1, 1
            else:
                v, x = divmod(v, 12)
                month = x + 1
                v, x = divmod(v, days_in_month(birth_year, month))
                day = x + 1
        elif p >= 10:  # year and month only
            v, x = divmod(v, 12)
            month = x + 1

        city, v = _birth_place(pool, nats, v)
        aliases, v = _aliases(pool, given, family, given_text, family_text, v)
        number = document_number(country, document_index(key, self._doc_salt), v & 0xFFFFFFFF)
        return SyntheticPerson(
            key, SyntheticName(given_text, family_text, original, conv, origin), aliases,
            birth_year, month, day, city[ci], nats, sex, number, country,
        )

    def people(self, count: int, start: int = 0) -> Iterator[SyntheticPerson]:
        """People ``start`` to ``start + count - 1``, in order."""
        person = self.person
        for key in range(start, start + count):
            yield person(key)

    def variant_of(self, person: SyntheticPerson, key: int) -> SyntheticPerson:
        """The same person as another agency's officer would record them.

        Deterministic in ``(seed, person.key, key)``; keeps ``person.key`` so pairs stay
        labelled. The name is respelt in another convention (Arabic script included for
        Arabic-script origins), then may be swapped, have its particles or compound
        parts rewritten, or get a typo; the date may lose its day or month, have day and
        month swapped or the year mistyped; the document may carry an OCR confusion, be
        another nationality's document, or be missing. The variant always differs from
        the original in at least one field.
        """
        rng = random.Random(f"{self.seed}:{person.key}:{key}")
        name = person.name
        pool = POOLS[name.origin]
        arabic_ok = name.origin in ARABIC_SCRIPT_ORIGINS and name.original_script is not None
        choices = [c for c in LATIN_CONVENTIONS if c != name.spelling]
        if arabic_ok and name.spelling != "ar" and rng.random() < 0.3:
            conv = "ar"
        else:
            conv = rng.choice(choices)

        given = _respell(name.given, pool.given_lookup, conv, rng)
        family = " ".join(
            _respell(part, pool.family_lookup, conv, rng)
            for part in _family_parts(name.family, pool)
        )
        if conv != "ar":
            if rng.random() < 0.3 and (options := particle_variants(
                    family, double_surname=name.origin == "iberian")):
                family = rng.choice(options)
            if rng.random() < 0.15 and (options := compound_variants(given)):
                given = rng.choice(options)
            if rng.random() < 0.1:
                if rng.random() < 0.5:
                    given = typo(given, rng)
                else:
                    family = typo(family, rng)
            if rng.random() < (0.3 if name.origin == "east_asian" else 0.1):
                given, family = family, given
        script = name.original_script if conv == "ar" or rng.random() < 0.4 else None
        new_name = SyntheticName(given, family, script, conv, name.origin)

        year, month, day = _vary_date(person, rng)
        number, doc_country, nats = _vary_document(person, rng, self._doc_salt)
        place = person.place_of_birth
        city = CITY_LOOKUP.get(place)
        if city is not None:
            place = city[_ARABIC_INDEX if conv == "ar" else CONVENTION_INDEX[conv]]
        if rng.random() < 0.05:
            place = ""
        aliases = (f"{name.given} {name.family}",) if rng.random() < 0.25 else ()
        variant = replace(
            person, name=new_name, aliases=aliases, birth_year=year, birth_month=month,
            birth_day=day, place_of_birth=place, nationalities=nats,
            document_number=number, document_country=doc_country,
        )
        if _observable(variant) == _observable(person):
            # Same spelling everywhere (Omar, Karim) and nothing else drifted: the
            # officer still got something different, as two records never fully agree.
            variant = _force_difference(variant, rng)
        return variant


def _birth_place(pool: Pool, nats: tuple[str, ...], v: int) -> tuple[City, int]:
    # Mostly born in a country of nationality, else in the pool's homeland (first
    # generation migrants), and a few elsewhere (mostly the partner countries).
    v, r = divmod(v, 100)
    if r < 55 or (r < 70 and len(nats) == 1):
        country = nats[0]
    elif r < 70:
        country = nats[1]
    else:
        homes = pool.homelands if r < 97 else ELSEWHERE
        v, x = divmod(v, homes.total)
        country = homes.items[bisect_right(homes.cumulative, x)]
    cities = CITY_TABLES[country]
    v, x = divmod(v, cities.total)
    return cities.items[bisect_right(cities.cumulative, x)], v


def _aliases(pool: Pool, given: NameForms, family: NameForms, given_text: str,
             family_text: str, v: int) -> tuple[tuple[str, ...], int]:
    # Known other spellings: other romanisations for Arabic-script names, otherwise
    # the occasional accent-free or family-first form.
    main = f"{given_text} {family_text}"
    v, r = divmod(v, 100)
    if pool.origin in ARABIC_SCRIPT_ORIGINS:
        wanted = 0 if r < 50 else 1 if r < 80 else 2
        out: list[str] = []
        gs, fs = given.spellings, family.spellings
        for _ in range(wanted * 2):
            v, x = divmod(v, len(gs))
            v, y = divmod(v, len(fs))
            alias = f"{gs[x]} {fs[y]}"
            if alias != main and alias not in out:
                out.append(alias)
            if len(out) == wanted:
                break
        return tuple(out), v
    if r >= 12:
        return (), v
    plain = strip_diacritics(main)
    return ((plain,) if plain != main else (f"{family_text} {given_text}",)), v


def _force_difference(variant: SyntheticPerson, rng: random.Random) -> SyntheticPerson:
    # A missing day, a misread document number, a missing place, or a typo in the
    # family name (the last always changes something).
    r = rng.random()
    if r < 0.35 and variant.birth_day is not None:
        return replace(variant, birth_day=None)
    if r < 0.6 and variant.document_number:
        return replace(variant, document_number=ocr_confuse(variant.document_number, rng))
    if r < 0.7 and variant.place_of_birth:
        return replace(variant, place_of_birth="")
    name = variant.name
    return replace(variant, name=replace(name, family=typo(name.family, rng)))


def _observable(p: SyntheticPerson) -> tuple[object, ...]:
    return (p.name.given, p.name.family, p.birth_year, p.birth_month, p.birth_day,
            p.place_of_birth, p.document_number)


def _family_parts(family: str, pool: Pool) -> list[str]:
    # Iberian double surnames are respelt part by part; other names as a whole.
    if pool.origin == "iberian" and family not in pool.family_lookup and " " in family:
        return family.split(" ", 1)
    return [family]


def _respell(text: str, lookup: dict[str, NameForms], conv: str,
             rng: random.Random) -> str:
    forms = lookup.get(text)
    if forms is None:  # already drifted (typo, particle): keep as recorded
        return text
    if conv == "ar":
        return forms.arabic or text
    if rng.random() < 0.2:
        return rng.choice(forms.spellings)
    respelt = forms.latin[CONVENTION_INDEX[conv]]
    if conv in ("en", "nl", "de") and rng.random() < 0.5:
        respelt = mrz_spelling(respelt) if rng.random() < 0.3 else strip_diacritics(respelt)
    return respelt


def _vary_date(person: SyntheticPerson, rng: random.Random) -> tuple[int, int | None, int | None]:
    year, month, day = person.birth_year, person.birth_month, person.birth_day
    r = rng.random()
    if r < 0.12 and month is not None and day is not None and day <= 12 and day != month:
        return year, day, month  # day and month swapped (valid: both <= 12)
    if r < 0.2 and day is not None:
        return year, month, None
    if r < 0.25:
        return year, None, None
    if r < 0.3:
        year += rng.choice((-1, 1))
        if month == 2 and day == 29:
            day = 28
        return year, month, day
    return year, month, day


def _vary_document(person: SyntheticPerson, rng: random.Random,
                   doc_salt: int) -> tuple[str, str, tuple[str, ...]]:
    nats = person.nationalities
    number, country = person.document_number, person.document_country
    if len(nats) == 2 and rng.random() < 0.15:
        nats = (nats[0],) if rng.random() < 0.5 else (nats[1],)
    r = rng.random()
    if r < 0.15 and number:
        return ocr_confuse(number, rng), country, nats
    if r < 0.3:
        return "", "", nats
    if r < 0.4 and len(person.nationalities) == 2:
        other = person.nationalities[1]
        idx = document_index(person.key, doc_salt ^ 0x5A5A5A)
        return document_number(other, idx, rng.getrandbits(32)), other, nats
    return number, country, nats
