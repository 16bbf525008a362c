"""Shared leaf modules: conventions every phase relies on, each with one home.

Nothing in ``annexa.core`` imports any other part of ``annexa`` (the import-layering test holds
that), so every phase (source, transform, validate, publish, pack) and the top (pipeline, cli)
can use it:

* ``constants``: the time zone, the Annex A versions and workbook layouts.
* ``dates``: windows and ages at the as-at date.
* ``calendar``: England and Wales working days (the product and the synthetic generator).
* ``files``: owner-only, atomic writing; checksums; private folders.
* ``paths``: where the SQL, expectation suites and run data live.
* ``templating``: the one Jinja2 environment for the product's HTML (autoescaping on).
"""
