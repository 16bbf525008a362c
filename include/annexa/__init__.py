"""annexa: an always-ready Ofsted ILACS Annex A return and intelligence pack.

The package holds every piece of logic; the Airflow DAGs in ``dags/`` only wire its functions
together. Modules follow the flow: ``source`` (synthetic CMS, extract), ``transform`` (SQL runner,
calendar, code mapping), ``validate``, ``publish``, ``pack`` and ``cli``.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # one home for the version: pyproject.toml, as installed (wheel or editable)
    __version__ = version("annexa")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
