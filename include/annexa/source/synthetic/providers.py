"""Placement providers: foster carers, children's homes and other settings."""

from __future__ import annotations

import random
from dataclasses import dataclass

from annexa.source.synthetic import codes as K

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


class Providers:
    """Foster carers (made on demand), children's homes and other settings with URNs/postcodes."""

    def __init__(self, rng: random.Random, scale_factor: float) -> None:
        self.pc = K.load_postcodes()
        self.rng = rng
        self.next_key = 0
        self.urns: set[str] = set()
        n_homes = max(6, int(25 * scale_factor))
        self.homes = [self._setting(rng, "K2", rng.random() < 0.35, True) for _ in range(n_homes)]
        self.secure = [self._setting(rng, "K1", False, True) for _ in range(3)]
        self.mbu = [self._setting(rng, "R3", rng.random() < 0.5, True) for _ in range(3)]
        self.schools = [self._setting(rng, "S1", False, True) for _ in range(4)]
        self.semi = [
            self._setting(rng, "H5", rng.random() < 0.6, False)
            for _ in range(max(4, int(12 * scale_factor)))
        ]

    def _urn(self, rng: random.Random) -> str:
        while True:
            urn = f"SC{100000 + int(rng.random() * 899999)}"
            if urn not in self.urns:
                self.urns.add(urn)
                return urn

    def _setting(self, rng: random.Random, ptype: str, inside: bool, urn: bool) -> Carer:
        postcode, dist = self.place(rng, inside)
        provider = {"K2": "PR4", "K1": "PR2", "R3": "PR4", "S1": "PR5", "H5": "PR4"}[ptype]
        if ptype == "K2" and inside and rng.random() < 0.5:
            provider = "PR1"
        self.next_key += 1
        return Carer(
            self.next_key, ptype, provider, postcode, self._urn(rng) if urn else None, dist
        )

    def place(self, rng: random.Random, inside: bool) -> tuple[str, float]:
        """A postcode (and miles from home) inside Synthshire or elsewhere in the UK."""
        pc = self.pc
        if inside:
            postcode = pc.inside[int(rng.random() * len(pc.inside))]
            return postcode, round(0.4 + rng.random() * 13.6, 1)
        u = rng.random()
        pool = (
            pc.england if u < 0.86 else pc.wales if u < 0.94 else pc.scotland if u < 0.97 else pc.ni
        )
        postcode, la = pool[int(rng.random() * len(pool))]
        return postcode, round(K.OUTSIDE_DISTANCE.get(la, 80.0) * (0.85 + 0.3 * rng.random()), 1)

    def carer(self, rng: random.Random, ptype: str, provider: str, p_inside: float) -> Carer:
        self.next_key += 1
        postcode, dist = self.place(rng, rng.random() < p_inside)
        return Carer(self.next_key, ptype, provider, postcode, None, dist)

    def new_placement(self, rng: random.Random, age: int) -> Carer:
        """A new carer for a child of this age (SSDA903 placement and provider codes)."""
        u = rng.random()
        if age < 12:
            if u < 0.86:
                return self.foster(rng, "U6")
            if u < 0.94:
                return self.carer(rng, "U3", "PR1", 0.75)
            if u < 0.965:
                return self.pick(rng, self.homes)
            if age < 2 and u < 0.985:
                return self.pick(rng, self.mbu)
            if age >= 8 and u < 0.99:
                return self.pick(rng, self.schools)
            return self.foster(rng, "U6")
        if age < 16:
            if u < 0.64:
                return self.foster(rng, "U6")
            if u < 0.69:
                return self.carer(rng, "U3", "PR1", 0.75)
            if u < 0.93:
                return self.pick(rng, self.homes)
            if u < 0.945:
                return self.pick(rng, self.secure)
            if u < 0.965:
                return self.pick(rng, self.schools)
            if u < 0.98:
                return self.carer(rng, "Z1", "PR4", 0.6)
            return self.carer(rng, "T4", "PR1", 0.9)
        if u < 0.36:
            return self.foster(rng, "U6")
        if u < 0.76:
            return self.pick(rng, self.semi)
        if u < 0.93:
            return self.pick(rng, self.homes)
        if u < 0.97:
            return self.carer(rng, "U3", "PR1", 0.75)
        return self.carer(rng, "P2", "PR4", 0.8)

    def foster(self, rng: random.Random, ptype: str) -> Carer:
        if rng.random() < 0.62:
            return self.carer(rng, ptype, "PR1", 0.88)
        return self.carer(rng, ptype, "PR4" if rng.random() < 0.9 else "PR5", 0.45)

    def pick(self, rng: random.Random, pool: list[Carer]) -> Carer:
        c = pool[int(rng.random() * len(pool))]
        self.next_key += 1  # a new stay in the same home is a new carer episode for the child
        return Carer(self.next_key, c.type, c.provider, c.postcode, c.urn, c.distance)
