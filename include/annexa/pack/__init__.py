"""The intelligence pack: judgement-area indicators computed from the Annex A lists (issue 5)."""
