"""Placement providers: foster carers, children's homes and other settings."""

from __future__ import annotations

import random
from dataclasses import dataclass

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.params import Providers as ProviderParams

# ------------------------------------------------------------------------------------------
# Placements providers


@dataclass
class Carer:
    key: int
    type: str
    provider: str
    postcode: str
    urn: str | None
    distance: float


_FOSTERING_SERVICE_URN = {
    "PR1": "SC100001",
    "PR2": "SC100002",
    "PR3": "SC100003",
    "PR4": "SC100004",
    "PR5": "SC100005",
}
_SETTING_PROVIDER = {"K2": "PR4", "K1": "PR2", "R3": "PR4", "S1": "PR5", "H5": "PR4"}
# placement-mix entries allowed only at some ages (checked in order; see params.yaml)
_ONLY_AT = {"mbu_under_2": lambda age: age < 2, "school_8_plus": lambda age: age >= 8}


class Providers:
    """Foster carers (made on demand), children's homes and other settings with URNs/postcodes."""

    def __init__(self, rng: random.Random, scale_factor: float, q: ProviderParams) -> None:
        self.pc = K.load_postcodes()
        self.q = q
        self.rng = rng
        self.next_key = 0
        self.urns: set[str] = set()
        self.not_england: set[str] = set()  # postcodes placed in Wales, Scotland or NI
        n_homes = max(q.homes_min, int(q.homes_per_scale * scale_factor))
        self.homes = [
            self._setting(rng, "K2", rng.random() < q.p_home_inside, True) for _ in range(n_homes)
        ]
        self.secure = [self._setting(rng, "K1", False, True) for _ in range(q.secure_units)]
        self.mbu = [
            self._setting(rng, "R3", rng.random() < q.p_mbu_inside, True)
            for _ in range(q.mother_and_baby_units)
        ]
        self.schools = [self._setting(rng, "S1", False, True) for _ in range(q.schools)]
        # semi-independent settings: since 28 October 2023 every one that takes looked-after
        # 16-17 year olds is Ofsted-registered supported accommodation with a URN (DfE 903 rule
        # 218; the 903 reports them as K3, docs/statutory_returns.md)
        self.semi = [
            self._setting(rng, "H5", rng.random() < q.p_semi_inside, True)
            for _ in range(max(q.semi_min, int(q.semi_per_scale * scale_factor)))
        ]

    def _urn(self, rng: random.Random) -> str:
        while True:
            urn = f"SC{100000 + int(rng.random() * 899999)}"
            if urn not in self.urns:
                self.urns.add(urn)
                return urn

    def _setting(self, rng: random.Random, ptype: str, inside: bool, urn: bool) -> Carer:
        postcode, dist = self.place(rng, inside)
        provider = _SETTING_PROVIDER[ptype]
        if ptype == "K2" and inside and rng.random() < self.q.p_home_run_by_la:
            provider = "PR1"
        self.next_key += 1
        code = self._urn(rng) if urn else None  # drawn either way: the same CMS otherwise
        return Carer(
            self.next_key,
            ptype,
            provider,
            postcode,
            None if postcode in self.not_england else code,
            dist,
        )

    def place(self, rng: random.Random, inside: bool) -> tuple[str, float]:
        """A postcode (and miles from home) inside Synthshire or elsewhere in the UK."""
        pc, q = self.pc, self.q
        if inside:
            postcode = pc.inside[int(rng.random() * len(pc.inside))]
            return postcode, round(q.inside_miles_min + rng.random() * q.inside_miles_range, 1)
        nation = q.outside_nation.pick(rng.random())
        pool = {"england": pc.england, "wales": pc.wales, "scotland": pc.scotland}.get(
            nation, pc.ni
        )
        postcode, la = pool[int(rng.random() * len(pool))]
        if nation != "england":
            self.not_england.add(postcode)
        miles = K.OUTSIDE_DISTANCE.get(la, q.outside_miles_default)
        return postcode, round(
            miles * (q.miles_jitter_min + q.miles_jitter_range * rng.random()), 1
        )

    def carer(self, rng: random.Random, ptype: str, provider: str, p_inside: float) -> Carer:
        self.next_key += 1
        postcode, dist = self.place(rng, rng.random() < p_inside)
        # a foster placement is with an Ofsted-registered fostering service: its URN (DfE 903
        # rule 218), one service per provider code (the LA's own for PR1)
        # (fostering or adoption agency; none outside England, DfE 243)
        urn = _FOSTERING_SERVICE_URN.get(provider) if ptype[:1] in ("U", "A") else None
        if postcode in self.not_england:
            urn = None
        return Carer(self.next_key, ptype, provider, postcode, urn, dist)

    def new_placement(self, rng: random.Random, age: int) -> Carer:
        """A new carer for a child of this age (SSDA903 placement and provider codes)."""
        q = self.q
        u = rng.random()
        mix = q.mix_under_12 if age < 12 else q.mix_12_to_15 if age < 16 else q.mix_16_plus
        for what, bound in zip(mix.items, mix.cum, strict=True):
            if u < bound and _ONLY_AT.get(what, lambda _age: True)(age):
                return self._make(rng, what)
        return self._make(rng, mix.items[-1])

    def _make(self, rng: random.Random, what: str) -> Carer:
        q = self.q
        if what == "foster":
            return self.foster(rng, "U6")
        if what == "family_friends":
            return self.carer(rng, "U3", "PR1", q.p_inside_family_friends)
        if what == "home":
            return self.pick(rng, self.homes)
        if what == "mbu_under_2":
            return self.pick(rng, self.mbu)
        if what in ("school", "school_8_plus"):
            return self.pick(rng, self.schools)
        if what == "secure":
            return self.pick(rng, self.secure)
        if what == "semi_independent":
            return self.pick(rng, self.semi)
        if what == "other_setting":
            return self.carer(rng, "Z1", "PR4", q.p_inside_other_setting)
        if what == "young_offender":
            # a young offender institution or prison: R5, another public provider (PR3); T4 is a
            # temporary placement (DfE 903 rules 379, 380, 527)
            return self.carer(rng, "R5", "PR3", q.p_inside_young_offender)
        if what == "independent_living":
            return self.carer(rng, "P2", "PR4", q.p_inside_independent_living)
        raise ValueError(f"unknown placement kind {what!r} in params.yaml")

    def foster(self, rng: random.Random, ptype: str) -> Carer:
        q = self.q
        if rng.random() < q.p_foster_in_house:
            return self.carer(rng, ptype, "PR1", q.p_inside_in_house_foster)
        return self.carer(rng, ptype, q.agency_foster_provider.pick(rng), q.p_inside_agency_foster)

    def supported_accommodation(self, c: Carer) -> Carer:
        """The registered supported accommodation setting that takes the place of an
        independent-living placement (P2) after the 2023 reforms: chosen by the placement's
        key, so no random draw (the CMS is otherwise the same)."""
        s = self.semi[c.key % len(self.semi)]
        return Carer(c.key, s.type, s.provider, s.postcode, s.urn, s.distance)

    def pick(self, rng: random.Random, pool: list[Carer]) -> Carer:
        c = pool[int(rng.random() * len(pool))]
        self.next_key += 1  # a new stay in the same home is a new carer episode for the child
        return Carer(self.next_key, c.type, c.provider, c.postcode, c.urn, c.distance)
