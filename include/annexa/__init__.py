"""annexa: an always-ready Ofsted ILACS Annex A return and intelligence pack.

The package holds every piece of logic; the Airflow DAGs in ``dags/`` only wire its functions
together. Modules follow the flow: ``source`` (synthetic CMS, extract), ``transform`` (SQL runner,
calendar, code mapping), ``validate``, ``publish``, ``pack`` and ``cli``.
"""

__version__ = "0.1.0"
