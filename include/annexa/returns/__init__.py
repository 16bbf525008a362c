"""Statutory returns from the Annex A snapshot: the CIN census (XML) and the SSDA903 (CSVs).

Built by the SQL in ``sql/returns/`` on the same staging models and calendar as Annex A, written
owner-only (``annexa.core.files``), checked by DfE's own rules as data-to-insight publish them
(``annexa.returns.validators``: a subprocess in the validators' own environment), and published
beside Annex A under ``<out>/<la>/returns/<year>/`` only when those rules find no errors.
"""
