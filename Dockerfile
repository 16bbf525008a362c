# The annexa image: Apache Airflow's official image with the project installed from uv.lock, the
# exact set `make install` and CI use (never _PIP_ADDITIONAL_REQUIREMENTS, which reinstalls at
# every container start and resolves afresh). Built by docker-compose.yaml (`build: .`).
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}

# Pinned like the Makefile's; the official image's Python is the one Airflow runs on.
ARG UV_VERSION=0.13.9
USER airflow
WORKDIR /opt/annexa/src
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

# 1. The locked third-party set (apache-airflow==3.3.2 included, so nothing is upgraded or
#    downgraded by accident): exported from uv.lock with hashes and installed by the image's pip
#    (which installs where the image's Airflow lives) without resolving anything.
COPY --chown=airflow:0 pyproject.toml uv.lock README.md ./
RUN uv export --frozen --no-dev --no-emit-project --format requirements-txt \
        -o /tmp/requirements.txt \
    && pip install --no-cache-dir --no-deps --require-hashes -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# 2. The project itself (its wheel carries sql/, expectations/ and dags/; annexa.core.paths finds
#    them inside the package). dags/ and plugins/ are also mounted by docker-compose.yaml.
COPY --chown=airflow:0 include ./include
COPY --chown=airflow:0 sql ./sql
COPY --chown=airflow:0 expectations ./expectations
COPY --chown=airflow:0 dags ./dags
RUN pip install --no-cache-dir --no-deps . \
    && python -c "import annexa.las, annexa.pipeline, airflow.providers.celery"

WORKDIR /opt/airflow
ENV GX_ANALYTICS_ENABLED=false
