"""Contacts and early help: the front door."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Stage


class FrontDoor(Stage):
    """Contacts (with or without a referral) and early help episodes."""

    def contact_only(self, rng: random.Random, c: Child, t: int) -> None:
        """A child who is contacted about but never referred: 1 to ``max_contacts`` contacts."""
        q = self.p.front_door
        n = 1
        while rng.random() < q.p_another_contact and n < q.max_contacts:
            n += 1
        for _ in range(n):
            if t > self.A or t >= c.d18:
                break
            self.contact(rng, c, t, self.p.codes.contact_source.pick(rng.random()))
            if rng.random() < q.p_contact_early_help:
                self.early_help(rng, c, t + q.early_help_after_contact_days.draw(rng))
            t += q.contact_gap_min_days + int(rng.expovariate(1 / q.contact_gap_mean_days))

    def contact(self, rng: random.Random, c: Child, t: int, source: str) -> None:
        if self.ws <= t <= self.A:
            c.rows.setdefault("ssd_contacts", []).append(
                (self.ids.new("ssd_contacts"), c.id, t, source, K.SOURCE_DESC[source])
            )

    def early_help(self, rng: random.Random, c: Child, s: int) -> None:
        end = s + self.p.front_door.early_help_days.draw(rng)
        if s > self.A or end < self.ws:
            return
        slots = self.wf.slots["EH"]
        worker = slots[int(rng.random() * len(slots))].at(s).prof_id
        org = K.EARLY_HELP_ORGS[int(rng.random() * len(K.EARLY_HELP_ORGS))]
        c.rows.setdefault("ssd_early_help_episodes", []).append(
            (self.ids.new("ssd_early_help_episodes"), c.id, s, self.m(end), org, worker)
        )
