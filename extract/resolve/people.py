"""Who is who: person mentions to one ``people`` row per real person.

Scrutiny members ask "what has Superintendent Leach undertaken, across all
meetings?", so "Mr Clifton", "Peter Clifton" and "Peter Clifton, Community
Safety Manager" must end up as one person, while "Mr P Cole" and "Mrs P T
Cole" stay two.

Two steps, both deterministic:

1. **Within a document** (:func:`cluster_mentions`): mentions with a full
   first name group by surname and compatible first name ("Paula"/"Paul"
   by spelling, "Dave"/"David" by nickname, "Chris"/"Christopher" by
   prefix); initials join the person whose first name they start; a surname
   alone joins the only person of that surname, else the nearest one named
   before it; a first name alone ("Douglas said") joins the only person with
   that first name. A gendered title (Mr / Mrs, Ms, Miss) never joins the
   other gender.
2. **Across the archive** (:func:`assign_people`): each document person is
   matched to existing ``people`` rows of the same surname whose first name
   and gender are compatible, scored by first-name agreement and shared role,
   organisation or title; a conflicting first name makes a new person.

``people.role`` / ``organisation`` hold the best evidence seen: a job title
over a label such as "Report Author", then the most recent meeting, then the
most frequent. Every role is kept per document in ``person_roles``, every
surface form in ``person_aliases``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import sqlite_utils
from rapidfuzz import fuzz

from ..records import PersonMention

PEOPLE_PATTERNS = "patterns/people_*.jsonl"
FUZZY_FIRST_NAME = 85  # rapidfuzz ratio at or above which two first names are one spelled two ways


# ----------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Names:
    genders: dict[str, str]  # honorific (lower) -> "m" / "f"
    titles: frozenset[str]  # all honorifics, lower
    office_titles: frozenset[str]  # titles that are offices ("director", "chair", "mayor"), lower
    nicknames: dict[str, frozenset[str]]  # short form -> full forms
    short_forms: dict[str, frozenset[str]]  # full form -> short forms
    label_roles: frozenset[str]  # roles that are really line labels ("report author")


_NAMES: _Names | None = None


def _names() -> _Names:
    global _NAMES
    if _NAMES is None:
        from ..nlp.people import load_people_vocab

        v = load_people_vocab(PEOPLE_PATTERNS)
        short: dict[str, set[str]] = {}
        for nick, fulls in v.nicknames.items():
            for full in fulls:
                short.setdefault(full, set()).add(nick)
        _NAMES = _Names(
            genders={k: h.gender for k, h in v.honorifics.items() if h.gender},
            titles=frozenset(v.honorifics),
            office_titles=frozenset(k for k, h in v.honorifics.items() if h.role),
            nicknames=v.nicknames,
            short_forms={k: frozenset(s) for k, s in short.items()},
            label_roles=frozenset(v.role_labels),
        )
    return _NAMES


# ----------------------------------------------------------------------------- name helpers


def name_key(text: str | None) -> str:
    """Case-, accent- and punctuation-free key: "O'Dwyer", "O-Dwyer" and "ODwyer" agree."""
    if not text:
        return ""
    return _name_key(text)


@lru_cache(maxsize=1 << 16)
def _name_key(text: str) -> str:
    # remembered: resolution asks for the same few thousand names hundreds of thousands of times
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if ch.isalpha()).casefold()


_GENDERS: dict[str, str | None] = {}
_GENDERS_OF: list[_Names | None] = [None]  # the vocabulary _GENDERS was filled from


def gender_of(honorific: str | None) -> str | None:
    """ "m" for Mr/Sir/Lord, "f" for Mrs/Ms/Miss/Dame, None for neutral titles."""
    if not honorific:
        return None
    names = _NAMES if _NAMES is not None else _names()
    if _GENDERS_OF[0] is not names:  # remembered per vocabulary: it is asked once per alias of every candidate
        _GENDERS.clear()
        _GENDERS_OF[0] = names
    if honorific in _GENDERS:
        return _GENDERS[honorific]
    out = None
    for word in (honorific.lower(), honorific.split()[0].lower() if honorific.split() else ""):
        if word in names.genders:
            out = names.genders[word]
            break
    if len(_GENDERS) < 100_000:
        _GENDERS[honorific] = out
    return out


def title_rank(honorific: str | None) -> int:
    """2 for a personal title or rank ("Councillor", "Dr", "Superintendent"), 1 for Mr/Ms, 0 for an office."""
    if not honorific:
        return -1
    if honorific.lower() in _names().office_titles:
        return 0
    return 1 if gender_of(honorific) else 2


def given_names(m: PersonMention) -> list[str]:
    """The words between the title and the surname ("R W" in "Mr R W Gough")."""
    words = m.text.replace(".", " ").split()
    if m.honorific:
        hon = m.honorific.replace(".", " ").split()
        if [w.lower() for w in words[: len(hon)]] == [h.lower() for h in hon]:
            words = words[len(hon) :]
    if m.surname:
        key = name_key(m.surname)
        if words and name_key(words[-1]) == key:
            words = words[:-1]
        elif words and name_key("".join(words)).endswith(key):
            # glued ("KiranVagarwal"): the first name is all there is
            return [m.first_name] if m.first_name else []
    return words


@lru_cache(maxsize=200_000)
def first_names_compatible(a: str | None, b: str | None) -> int:
    """How well two first names agree: 3 same, 2 variant, 1 initial, 0 unknown, -1 conflict.

    Remembered: resolution compares each document's people with every
    same-surname row of the archive, so the same pairs come back document
    after document (``first_names_compatible.__wrapped__`` computes afresh).
    """
    if not a or not b:
        return 0
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0
    if len(ka) == 1 or len(kb) == 1:
        return 1 if ka[0] == kb[0] else -1
    if ka == kb:
        return 3
    names = _names()
    nick, short = names.nicknames, names.short_forms
    if (
        kb in nick.get(ka, ())
        or ka in nick.get(kb, ())
        or short.get(ka, frozenset()) & short.get(kb, frozenset())
    ):
        return 2  # "Dave" / "David", "Steven" / "Stephen" (both "Steve")
    if ka[0] == kb[0] and (ka.startswith(kb) or kb.startswith(ka)) and min(len(ka), len(kb)) >= 2:
        return 2  # "Chris" / "Christopher", "Jo" / "Joanne"
    if spelling_variant(a, b):
        return 2  # "Paula" / "Paul", "Sara" / "Sarah"
    return -1


def spelling_variant(a: str | None, b: str | None) -> bool:
    """Two different first names close enough to be one name spelled two ways."""
    ka, kb = name_key(a), name_key(b)
    return bool(
        ka
        and kb
        and ka != kb
        and ka[0] == kb[0]
        and min(len(ka), len(kb)) > 2
        and fuzz.ratio(ka, kb) >= FUZZY_FIRST_NAME
    )


def _initials_conflict(a: Sequence[str], b: Sequence[str]) -> bool:
    """ "R W" vs "R C": two known initial sequences that differ."""
    ia = [w[0].lower() for w in a if w]
    ib = [w[0].lower() for w in b if w]
    if len(ia) >= 2 and len(ib) >= 2:
        return ia[:2] != ib[:2]
    return bool(ia and ib and ia[0] != ib[0])


def _words(text: str | None) -> frozenset[str]:
    return _words_of(text or "")


@lru_cache(maxsize=1 << 14)
def _words_of(text: str) -> frozenset[str]:
    # remembered: each candidate's roles are compared with each document person's, document after document
    return frozenset(
        w
        for w in re.findall(r"[a-z]+", text.lower())
        if len(w) > 2 and w not in {"the", "and", "for"}
    )


# ----------------------------------------------------------------------------- within a document


@dataclass
class LocalPerson:
    """One person as a single document names them."""

    surname: str
    key: str
    first: str | None = None  # fullest first name (may be an initial)
    given: list[str] = field(default_factory=list)  # given names as written in the fullest form
    genders: set[str] = field(default_factory=set)
    honorifics: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    orgs: Counter = field(default_factory=Counter)
    aliases: list[str] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)

    @property
    def gender(self) -> str | None:
        return next(iter(self.genders)) if len(self.genders) == 1 else None

    def first_full(self) -> str | None:
        return self.first if self.first and len(name_key(self.first)) > 1 else None

    def name(self) -> str:
        if self.first_full():
            return f"{self.first} {self.surname}"
        if self.given:
            return " ".join([*self.given, self.surname])
        return self.surname

    def honorific(self) -> str | None:
        if not self.honorifics:
            return None
        # "Councillor", "Dr", a police rank say more than Mr/Ms; an office used as a title
        # ("Director Amanda Beer") says less; then the commonest
        return max(self.honorifics.items(), key=lambda kv: (title_rank(kv[0]), kv[1]))[0]

    def best_role(self) -> str | None:
        return _best(self.roles, _names().label_roles)

    def best_org(self) -> str | None:
        return _best(self.orgs, frozenset())

    def add(self, idx: int, m: PersonMention, given: list[str]) -> None:
        self.members.append(idx)
        self.positions.append(m.span.start)
        if m.text not in self.aliases:
            self.aliases.append(m.text)
        if m.honorific:
            self.honorifics[m.honorific] += 1
            g = gender_of(m.honorific)
            if g:
                self.genders.add(g)
        if m.role:
            self.roles[m.role] += 1
        if m.organisation:
            self.orgs[m.organisation] += 1
        first = m.first_name
        if first and (not self.first or len(name_key(first)) > len(name_key(self.first))):
            self.first = first
        if len(given) > len(self.given) or (
            given and not self.first_full() and len(given) >= len(self.given)
        ):
            self.given = given


def _best(counter: Counter, weak: frozenset[str]) -> str | None:
    if not counter:
        return None
    return sorted(
        counter.items(), key=lambda kv: (kv[0].lower() not in weak, kv[1], len(kv[0])), reverse=True
    )[0][0]


def _gender_ok(person: LocalPerson | None, g: str | None, genders: set[str] | None = None) -> bool:
    have = genders if genders is not None else (person.genders if person else set())
    return not g or not have or g in have


def _nearest(cands: list[LocalPerson], pos: int) -> LocalPerson:
    """The candidate named last before ``pos`` (else the first named after it)."""
    before = [
        (max(p for p in c.positions if p <= pos), c) for c in cands if any(p <= pos for p in c.positions)
    ]
    if before:
        return max(before, key=lambda t: t[0])[1]
    return min(cands, key=lambda c: min(c.positions))


def cluster_mentions(mentions: Sequence[PersonMention]) -> tuple[list[LocalPerson], list[LocalPerson | None]]:
    """Group one document's mentions into people; returns (people, person of each mention or None)."""
    people: list[LocalPerson] = []
    owner: list[LocalPerson | None] = [None] * len(mentions)
    info = []
    for i, m in enumerate(mentions):
        given = given_names(m) if m.surname else []
        first = m.first_name
        kind = "none"
        if m.surname and first and len(name_key(first)) > 1:
            kind = "full"
        elif m.surname and (first or given):
            kind = "initial"
        elif m.surname:
            kind = "surname"
        elif first:
            kind = "first"
        info.append((i, m, given, kind, gender_of(m.honorific)))
    order = sorted(info, key=lambda t: t[1].span.start)

    def by_surname(key: str) -> list[LocalPerson]:
        return [p for p in people if p.key == key]

    # 1. full first names
    for i, m, given, kind, g in order:
        if kind != "full":
            continue
        key = name_key(m.surname)
        match = None
        best = 0
        for p in by_surname(key):
            score = first_names_compatible(p.first_full(), m.first_name)
            if (
                score > best
                and _gender_ok(p, g)
                and not (p.given and given and _initials_conflict(p.given, given) and score < 3)
            ):
                match, best = p, score
        if match is None:
            match = LocalPerson(surname=m.surname or "", key=key)
            people.append(match)
        match.add(i, m, given)
        owner[i] = match
    # 2. initials only ("Mr R W Gough")
    for i, m, given, kind, g in order:
        if kind != "initial":
            continue
        key = name_key(m.surname)
        cands = [
            p
            for p in by_surname(key)
            if _gender_ok(p, g)
            and first_names_compatible(p.first, m.first_name or (given[0] if given else None)) >= 0
            and not (p.given and given and _initials_conflict(p.given, given))
        ]
        if cands:
            match = _nearest(cands, m.span.start) if len(cands) > 1 else cands[0]
        else:
            match = LocalPerson(surname=m.surname or "", key=key)
            people.append(match)
        match.add(i, m, given)
        owner[i] = match
    # 3. surname only
    for i, m, given, kind, g in order:
        if kind != "surname":
            continue
        key = name_key(m.surname)
        cands = [p for p in by_surname(key) if _gender_ok(p, g)]
        if cands:
            match = _nearest(cands, m.span.start) if len(cands) > 1 else cands[0]
        else:
            match = LocalPerson(surname=m.surname or "", key=key)
            people.append(match)
        match.add(i, m, given)
        owner[i] = match
    # 4. a first name alone joins the only person with that first name
    for i, m, _given, kind, g in order:
        if kind != "first":
            continue
        cands = [
            p
            for p in people
            if first_names_compatible(p.first_full(), m.first_name) >= 2 and _gender_ok(p, g)
        ]
        exact = [p for p in cands if first_names_compatible(p.first_full(), m.first_name) == 3]
        pick = exact if exact else cands
        if len(pick) == 1:
            pick[0].add(i, m, [])
            owner[i] = pick[0]
    return people, owner


# ----------------------------------------------------------------------------- the archive


def ensure_people_tables(db: sqlite_utils.Database) -> None:
    """Create ``people``, ``person_aliases`` and ``person_roles`` when missing (the store may already have).

    ``people.surname_key`` (:func:`name_key` of the surname, indexed) is how
    candidates are found across the archive; a table made before it existed
    gains the column here and every row missing it is filled in.
    """
    names = set(db.table_names())
    if "people" not in names:
        db["people"].create(
            {
                "id": str,
                "name": str,
                "honorific": str,
                "first_name": str,
                "surname": str,
                "role": str,
                "organisation": str,
                "surname_key": str,
            },
            pk="id",
        )
        db["people"].create_index(["surname"], if_not_exists=True)
    _ensure_surname_key(db)
    if "person_aliases" not in names:
        db["person_aliases"].create({"person_id": str, "alias": str}, pk=("person_id", "alias"))
    if "person_roles" not in names:
        db["person_roles"].create(
            {"person_id": str, "role": str, "organisation": str, "document_id": str, "meeting_date": str},
            pk=("person_id", "document_id", "role", "organisation"),
        )
        db["person_roles"].create_index(["person_id"], if_not_exists=True)


def _ensure_surname_key(db: sqlite_utils.Database) -> None:
    """The indexed ``people.surname_key`` column, filled for every row with a surname.

    Plain SQL only: this may run inside the store's per-document transaction.
    """
    cols = {r[1] for r in db.execute("PRAGMA table_info(people)").fetchall()}
    if "surname_key" not in cols:
        db.execute("ALTER TABLE people ADD COLUMN surname_key TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_people_surname_key ON people (surname_key)")
    if db.execute("SELECT 1 FROM people WHERE surname_key IS NULL AND surname IS NOT NULL LIMIT 1").fetchone():
        rows = db.execute("SELECT id, surname FROM people WHERE surname_key IS NULL AND surname IS NOT NULL").fetchall()
        db.conn.executemany("UPDATE people SET surname_key = ? WHERE id = ?", [(name_key(s), i) for i, s in rows])


def person_id_for(surname: str, first: str | None, n: int = 1) -> str:
    """Stable id from the normalised surname and first name (or initial); ``n`` > 1 disambiguates."""
    first_key = name_key(first)
    raw = f"{name_key(surname)}|{first_key}" + (f"|{n}" if n > 1 else "")
    return "p_" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Row:
    id: str
    name: str | None
    honorific: str | None
    first_name: str | None
    surname: str | None
    role: str | None
    organisation: str | None
    genders: set[str]
    roles: set[str]
    orgs: set[str]
    latest: str | None


_PEOPLE_COLUMNS = ("id", "name", "honorific", "first_name", "surname", "role", "organisation", "surname_key")
_PUT_PERSON = (
    f"insert or replace into people ({', '.join(_PEOPLE_COLUMNS)}) values ({', '.join('?' * len(_PEOPLE_COLUMNS))})"
)


@dataclass
class _Details:
    """What ``person_aliases`` and ``person_roles`` say of one person, in the form resolution uses."""

    aliases: set[str] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)  # of the aliases' gendered titles (see _alias_gender)
    latest: str | None = None  # the most recent meeting date of any of its role rows
    # per column (role, organisation): value -> [min(rowid), count(*), max(coalesce(meeting_date, ''))]
    stats: tuple[dict[str, list], dict[str, list]] = field(default_factory=lambda: ({}, {}))


class PeopleMemo:
    """The people rows, aliases and role counts one connection has read or written, kept between documents.

    Why: a batch stores document after document on one connection, and each
    document asked the database again for every person of the surnames it
    names (in an archive, mostly the same members and officers); reading
    them back cost more than the rest of people resolution. The database
    stays the source of truth: what is not held here is read from it, what
    :func:`assign_people` writes is applied here too, and whoever keeps a
    memo between transactions must drop it when anything else may have
    written or a transaction was rolled back (``store.write_document``
    checks the connection's change count and SQLite's data and schema
    versions).

    Held: for every surname key read, all its ``people`` rows; for every
    person id read, all its aliases and role counts.
    """

    # rows and details held before starting afresh: bounded memory on a large archive (200k people with two
    # aliases and a role each took about 400 MB)
    LIMIT = 50_000

    def __init__(self) -> None:
        # surname key -> {id: (id, name, honorific, first_name, surname, role, organisation)}
        self.rows: dict[str, dict[str, tuple]] = {}
        self.key_of: dict[str, str | None] = {}  # id of a row in the table -> its surname key
        self.details: dict[str, _Details] = {}
        self.tables_ready = False  # ensure_people_tables has run on this connection's current schema
        self._seq = 1 << 63  # stands for the rowid of a role row written here: after every stored one

    def clear(self) -> None:
        self.rows.clear()
        self.key_of.clear()
        self.details.clear()

    def load_keys(self, db: sqlite_utils.Database, keys: Sequence[str]) -> None:
        """Read the people rows of the surname keys not held yet (the indexed ``surname_key``).

        It folds case, accents and punctuation, so "Ó'Brien" finds "O'Brien"
        (SQLite's ``lower`` folds ASCII only).
        """
        missing = [k for k in dict.fromkeys(keys) if k not in self.rows]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            for key in chunk:
                self.rows[key] = {}
            for r in db.execute(
                f"select surname_key, {', '.join(_PEOPLE_COLUMNS[:-1])} from people "
                f"where surname_key in ({','.join('?' * len(chunk))})",
                chunk,
            ):
                self.rows[r[0]][r[1]] = r[1:]
                self.key_of[r[1]] = r[0]

    def load_details(self, db: sqlite_utils.Database, ids: Sequence[str]) -> None:
        """Read the aliases and role counts of the person ids not held yet: two queries for all of them.

        Roles come one row per distinct (role, organisation): ``person_roles``
        gains a row per document, so reading them all made every lookup slower
        as the archive grew.
        """
        missing = [pid for pid in dict.fromkeys(ids) if pid not in self.details]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for pid in chunk:
                self.details[pid] = _Details()
            for pid, alias in db.execute(
                f"select person_id, alias from person_aliases where person_id in ({marks})", chunk
            ):
                self._alias(self.details[pid], alias)
            for pid, role, org, count, last, dated, first in db.execute(
                "select person_id, role, organisation, count(*), max(coalesce(meeting_date, '')), "
                f"max(nullif(meeting_date, '')), min(rowid) from person_roles where person_id in ({marks}) "
                "group by person_id, role, organisation",
                chunk,
            ):
                d = self.details[pid]
                if dated and (d.latest is None or dated > d.latest):
                    d.latest = dated
                for stats, value in zip(d.stats, (role, org), strict=True):
                    if value is None or value == "":
                        continue
                    s = stats.get(value)
                    if s is None:
                        stats[value] = [first, count, last]
                    else:
                        s[0], s[1], s[2] = min(s[0], first), s[1] + count, max(s[2], last)

    @staticmethod
    def _alias(d: _Details, alias: str) -> None:
        d.aliases.add(alias)
        g = _alias_gender(alias)
        if g:
            d.genders.add(g)

    def kept(self, person: LocalPerson) -> list[tuple]:
        """The held rows of the person's surname key whose first name does not clash with the person's."""
        return [r for r in self.rows[person.key].values() if first_names_compatible(person.first, r[3]) >= 0]

    def candidates(self, db: sqlite_utils.Database, person: LocalPerson, kept: list[tuple] | None = None) -> list[_Row]:
        """People rows of the person's surname key, with the genders, roles and latest date seen with them.

        A clashing first name rules a row out whatever its aliases and roles
        (see _score): in a large archive most people sharing a surname are
        someone else, so their details are not read.
        """
        if kept is None:
            self.load_keys(db, [person.key])
            kept = self.kept(person)
        self.load_details(db, [r[0] for r in kept])
        out = []
        for r in kept:
            d = self.details[r[0]]
            genders = set(d.genders)
            g2 = gender_of(r[2])
            if g2:
                genders.add(g2)
            out.append(_Row(*r, genders=genders, roles=set(d.stats[0]), orgs=set(d.stats[1]), latest=d.latest))
        return out

    def put_person(self, values: tuple) -> bool:
        """Hold a people row (``_PEOPLE_COLUMNS`` order) about to be written; False when it is held with
        exactly these values already (nothing to write)."""
        pid, key, row = values[0], values[-1], values[:-1]
        if pid in self.key_of:
            held_key = self.key_of[pid]
            held = self.rows.get(held_key, {})
            if held_key == key and held.get(pid) == row:
                return False
            held.pop(pid, None)
        self.key_of[pid] = key  # known to be in the table, whether or not its surname key is held
        if key in self.rows:
            self.rows[key][pid] = row
        return True

    def add_aliases(self, pid: str, aliases: Sequence[str]) -> list[str]:
        """Of the aliases of a person (its details held), those it did not have, now held."""
        d = self.details[pid]
        new = [a for a in dict.fromkeys(aliases) if a not in d.aliases]
        for a in new:
            self._alias(d, a)
        return new

    def count_roles(self, pid: str, pairs: Sequence[tuple[str | None, str | None]], meeting_date: str | None) -> None:
        """Count role rows about to be written for the person (its details held), in the order written."""
        if not pairs:
            return
        d = self.details[pid]
        if meeting_date and (d.latest is None or meeting_date > d.latest):
            d.latest = meeting_date
        last = "" if meeting_date is None else meeting_date
        for pair in pairs:
            for stats, value in zip(d.stats, pair, strict=True):
                if value is None or value == "":
                    continue
                s = stats.get(value)
                if s is None:
                    self._seq += 1
                    stats[value] = [self._seq, 1, last]
                else:
                    s[1] += 1
                    if last > s[2]:
                        s[2] = last

    def best_role(self, pid: str) -> tuple[str | None, str | None]:
        """people.role / organisation = a job title over a label, then the latest meeting, then the commonest.

        Ties go to the value seen first. Counted over every ``person_roles``
        row of the person (its details held), one entry per distinct value.
        """
        picks: list[str | None] = []
        for stats, weak in zip(self.details[pid].stats, (_names().label_roles, frozenset()), strict=True):
            if not stats:
                picks.append(None)
                continue
            rows = sorted((s[0], value, s[1], s[2]) for value, s in stats.items())  # first seen first
            picks.append(max(rows, key=lambda s: (s[1].lower() not in weak, s[3], s[2], len(s[1])))[1])
        return picks[0], picks[1]


def _alias_gender(alias: str) -> str | None:
    """The gender of an alias's first word ("Mrs" in "Mrs Hart"), if a gendered title."""
    first = alias.split(None, 1)
    return gender_of(first[0]) if first else None


def _score(person: LocalPerson, row: _Row) -> float | None:
    """None when the row is certainly someone else, else how well it fits."""
    if person.genders and row.genders and not (person.genders & row.genders):
        return None
    fn = first_names_compatible(person.first, row.first_name)
    if fn < 0:
        return None
    shared_role = any(_words(r) & _words(x) for r in person.roles for x in row.roles)
    shared_org = any(_words(o) & _words(x) for o in person.orgs for x in row.orgs)
    honorific = person.honorific()
    evidence = (
        shared_role
        or shared_org
        or bool(honorific)
        and honorific == row.honorific
        and title_rank(row.honorific) != 1
    )
    if fn == 2 and spelling_variant(person.first, row.first_name) and not evidence:
        return None  # "Carl" / "Carol" in two documents: only with a shared rank, role or organisation
    score = float(fn)
    if person.given and row.name:
        row_given = row.name.split()[:-1]
        if row_given and _initials_conflict(person.given, row_given) and fn < 3:
            return None
    if shared_role:
        score += 1
    if shared_org:
        score += 1
    if honorific and honorific == row.honorific:
        score += 0.5
    return score


def _candidates(db: sqlite_utils.Database, person: LocalPerson) -> list[_Row]:
    """People rows of the same surname key as read from the database alone, now (nothing remembered)."""
    return PeopleMemo().candidates(db, person)


def _match(db: sqlite_utils.Database, person: LocalPerson, candidates: list[_Row] | None = None) -> _Row | None:
    """The best-fitting people row of the archive for ``person`` (from ``candidates`` when read already)."""
    if candidates is None:
        candidates = _candidates(db, person)
    scored = [(s, row) for row in candidates if (s := _score(person, row)) is not None]
    if not scored:
        return None
    scored.sort(key=lambda t: (t[0], t[1].latest or "", t[1].id), reverse=True)
    return scored[0][1]


def _fresh_id(db: sqlite_utils.Database, person: LocalPerson, memo: PeopleMemo) -> str:
    n = 1
    while True:
        pid = person_id_for(person.surname, person.first, n)
        # a row the memo holds is in the table; one it does not hold may be too
        if pid not in memo.key_of and not db.execute("select 1 from people where id = ?", [pid]).fetchone():
            return pid
        n += 1


def _merged_row(person: LocalPerson, row: _Row | None, pid: str) -> dict:
    first = person.first
    honorific = person.honorific()
    name = person.name()
    if row is not None:
        if row.first_name and (not first or len(name_key(row.first_name)) > len(name_key(first))):
            first = row.first_name
            name = row.name or name
        elif row.name and len(row.name) > len(name) and not person.first_full():
            name = row.name
        if row.honorific and title_rank(row.honorific) > title_rank(honorific):
            honorific = row.honorific
    return {
        "id": pid,
        "name": name,
        "honorific": honorific,
        "first_name": first,
        "surname": person.surname,
        "role": row.role if row else None,
        "organisation": row.organisation if row else None,
    }


def assign_people(
    db: sqlite_utils.Database,
    document_id: str,
    meeting_date: str | None,
    mentions: list[PersonMention],
    *,
    memo: PeopleMemo | None = None,
) -> list[str | None]:
    """A ``people.id`` for each mention (None to drop it), writing people, aliases and roles.

    Re-running for the same document replaces its ``person_roles`` rows, so
    re-ingestion does not double-count. ``memo`` carries what earlier calls
    on this connection read and wrote (see :class:`PeopleMemo`; the caller
    vouches nothing else wrote since); without it everything is read afresh.
    """
    if memo is None:
        memo = PeopleMemo()
    elif len(memo.key_of) + len(memo.details) > memo.LIMIT:
        memo.clear()
    if not memo.tables_ready:
        ensure_people_tables(db)
        memo.tables_ready = True
    people, owner = cluster_mentions(mentions)
    if db.execute("delete from person_roles where document_id = ?", [document_id]).rowcount:
        memo.details.clear()  # their role counts held included the rows just deleted
    # What every person could match, read in one go before any is written: writing one person never
    # touches rows of another surname key, and the memo follows what a person writes for the next
    # person of the same key. Read with them: the details of the id a new person would get.
    memo.load_keys(db, [p.key for p in people])
    kept = {id(p): memo.kept(p) for p in people}
    memo.load_details(db, [
        *(r[0] for rows in kept.values() for r in rows),
        *(person_id_for(p.surname, p.first) for p in people),
    ])
    ids: dict[int, str] = {}
    written: set[str] = set()  # surname keys of the people rows written so far
    for person in people:
        row = _match(db, person, memo.candidates(db, person, None if person.key in written else kept[id(person)]))
        pid = row.id if row is not None else _fresh_id(db, person, memo)
        memo.load_details(db, [pid])  # a new id not guessed above: whatever rows name it already
        pairs = {(r, o) for r in (person.roles or {None: 1}) for o in (person.orgs or {None: 1})}
        if person.roles and person.orgs:
            # keep one row per role with the document's best organisation, not every cross pair
            pairs = {(r, person.best_org()) for r in person.roles}
        pairs = sorted(((r, o) for r, o in pairs if r or o), key=lambda t: (t[0] or "", t[1] or ""))
        # The best role counts the roles about to be added, so the people row is written once, with it
        # (or not at all when the archive holds it so already).
        memo.count_roles(pid, pairs, meeting_date)
        merged = _merged_row(person, row, pid)
        merged["role"], merged["organisation"] = memo.best_role(pid)
        merged["surname_key"] = name_key(merged["surname"]) if merged["surname"] is not None else None
        values = tuple(merged[c] for c in _PEOPLE_COLUMNS)
        # Plain SQL: this runs inside the store's per-document transaction, and
        # sqlite-utils' upsert would commit half a document on its own. The people row comes
        # first: aliases and roles refer to it, and with ``PRAGMA foreign_keys`` on a child row
        # before its parent is refused.
        if memo.put_person(values):
            db.execute(_PUT_PERSON, values)
            written.update((person.key, values[-1]))
        aliases = memo.add_aliases(pid, person.aliases)
        if aliases:
            db.conn.executemany("insert or ignore into person_aliases (person_id, alias) values (?, ?)",
                                [(pid, a) for a in aliases])
        if pairs:
            db.conn.executemany(
                "insert into person_roles (person_id, role, organisation, document_id, meeting_date) "
                "values (?, ?, ?, ?, ?)",
                [(pid, r, o, document_id, meeting_date) for r, o in pairs],
            )
        ids[id(person)] = pid
    return [ids[id(p)] if p is not None else None for p in owner]


__all__ = [
    "LocalPerson",
    "PeopleMemo",
    "assign_people",
    "cluster_mentions",
    "ensure_people_tables",
    "first_names_compatible",
    "gender_of",
    "name_key",
    "person_id_for",
]
