"""Child and family assessments."""

from __future__ import annotations

import random

from annexa.source.synthetic.base import Child, Episode, Stage
from annexa.source.synthetic.common import flags_json


class Assessments(Stage):
    """Assessment durations and rows."""

    def assessment_wd(self, rng: random.Random) -> int:
        """Working days from start to authorisation (timeliness: within 45 working days)."""
        q = self.p.assessments
        if rng.random() < q.p_assess_within_45:
            if rng.random() < q.p_near_deadline:
                return q.near_deadline_wd.draw(rng)
            return int(q.in_time_max_wd * rng.random() ** q.in_time_shape)
        return q.late_min_wd + int(rng.expovariate(1 / q.late_mean_extra_wd))

    def assessment(
        self, rng: random.Random, c: Child, e: Episode, s: int, auth: int, nfa: bool
    ) -> None:
        if s > self.A:
            return
        done = auth <= self.A
        e.last_auth = max(e.last_auth, auth)
        team, worker = self.worker(e, auth if done else s)
        seen = self.p.assessments.child_seen.pick(rng.random())
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
                flags_json(("NFA_FLAG", self.yn(nfa))) if done else None,
                team,
                worker,
            ),
        )
