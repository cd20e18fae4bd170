# The sockpuppet Airflow image: the official Airflow 3.3.2 image (CeleryExecutor, postgres and
# redis support included) plus this project's pinned dependencies and code. Used by every
# service in docker-compose.yml, so workers run exactly the code the scheduler parsed.
#
#   docker compose build            # or: docker build -t sockpuppet-airflow .
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11
ARG AIRFLOW_VERSION

WORKDIR /opt/sockpuppet

# Dependencies first (cached until the lock changes). Pinning apache-airflow to the base image's
# version keeps uv from swapping Airflow itself while it applies requirements.lock.
COPY --chown=airflow:0 requirements.lock ./
RUN uv pip install --no-cache --compile-bytecode \
        "apache-airflow==${AIRFLOW_VERSION}" -r requirements.lock

# The project. Editable on purpose: settings.py finds sql/ and expectations/ next to the
# package (PROJECT_ROOT), so the source tree stays the install.
COPY --chown=airflow:0 pyproject.toml README.md ./
COPY --chown=airflow:0 sockpuppet ./sockpuppet
COPY --chown=airflow:0 transforms ./transforms
COPY --chown=airflow:0 sql ./sql
COPY --chown=airflow:0 expectations ./expectations
COPY --chown=airflow:0 dags ./dags
RUN uv pip install --no-cache --compile-bytecode --no-deps -e . \
    && python -m compileall -q sockpuppet transforms dags

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/sockpuppet/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    SOCKPUPPET_LANDING=/data/landing \
    SOCKPUPPET_WAREHOUSE=/data/warehouse/sockpuppet.duckdb \
    SOCKPUPPET_BUILD_DIR=/data/warehouse/build \
    SOCKPUPPET_OUT=/data/published

WORKDIR /opt/airflow
