"""Child and family assessments."""

from __future__ import annotations

import json
import random

from annexa.source.synthetic.base import Child, Episode, Stage


class Assessments(Stage):
    """Assessment durations and rows."""

    def assessment_wd(self, rng: random.Random) -> int:
        if rng.random() < self.p.assessments.p_assess_within_45:
            if rng.random() < 0.2:
                return 38 + int(rng.random() * 8)
            return int(46 * rng.random() ** 0.8)
        return 46 + int(rng.expovariate(1 / 14.0))

    def assessment(
        self, rng: random.Random, c: Child, e: Episode, s: int, auth: int, nfa: bool
    ) -> None:
        if s > self.A:
            return
        done = auth <= self.A
        e.last_auth = max(e.last_auth, auth)
        team, worker = self.worker(e, auth if done else s)
        u = rng.random()
        seen = "Y" if u < 0.94 else "N" if u < 0.99 else None
        if s < c.dob:
            seen = "N"
        e.add(
            "ssd_cin_assessments",
            (
                self.ids.new("ssd_cin_assessments"),
                c.id,
                e.ref,
                s,
                seen,
                self.m(auth),
                self.yn(nfa) if done else None,
                json.dumps({"NFA_FLAG": self.yn(nfa)}) if done else None,
                team,
                worker,
            ),
        )
