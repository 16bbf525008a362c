"""Contacts and early help: the front door."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Stage


class FrontDoor(Stage):
    """Contacts (with or without a referral) and early help episodes."""

    def contact_only(self, rng: random.Random, c: Child, t: int) -> None:
        n = 1
        while rng.random() < 0.26 and n < 6:
            n += 1
        for _ in range(n):
            if t > self.A or t >= c.d18:
                break
            self.contact(rng, c, t, K.CONTACT_SOURCE.pick(rng.random()))
            if rng.random() < self.p.front_door.p_contact_early_help:
                self.early_help(rng, c, t + 3 + int(rng.random() * 25))
            t += 20 + int(rng.expovariate(1 / 200.0))

    def contact(self, rng: random.Random, c: Child, t: int, source: str) -> None:
        if self.ws <= t <= self.A:
            c.rows.setdefault("ssd_contacts", []).append(
                (self.ids.new("ssd_contacts"), c.id, t, source, K.SOURCE_DESC[source])
            )

    def early_help(self, rng: random.Random, c: Child, s: int) -> None:
        end = s + 60 + int(rng.random() * 240)
        if s > self.A or end < self.ws:
            return
        slots = self.wf.slots["EH"]
        worker = slots[int(rng.random() * len(slots))].at(s).prof_id
        org = K.EARLY_HELP_ORGS[int(rng.random() * len(K.EARLY_HELP_ORGS))]
        c.rows.setdefault("ssd_early_help_episodes", []).append(
            (self.ids.new("ssd_early_help_episodes"), c.id, s, self.m(end), org, worker)
        )
