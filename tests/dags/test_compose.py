"""The docker-compose deployment parses and has the shape the README (When one machine is not enough) describes.

There is no Docker engine in CI, so the file is checked as YAML: services, the worker's ability
to scale, no plaintext secrets, the shared volumes, and the image built from the Dockerfile.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
COMPOSE = PROJECT / "docker-compose.yml"
SERVICES = {
    "postgres",
    "redis",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
}
AIRFLOW_SERVICES = sorted(s for s in SERVICES if s.startswith("airflow-"))
SECRET_KEYS = re.compile(r"PASSWORD|SECRET|FERNET|_CONN$|BROKER_URL|RESULT_BACKEND|REDISCLI_AUTH")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_services(compose):
    assert SERVICES <= set(compose["services"])


def test_worker_scales(compose):
    worker = compose["services"]["airflow-worker"]
    assert "container_name" not in worker
    assert not worker.get("ports"), "a published host port would stop --scale"
    assert worker["command"] == "celery worker"
    assert not any("container_name" in s for s in compose["services"].values())


def test_celery_executor_and_project_image(compose):
    for name in AIRFLOW_SERVICES:
        service = compose["services"][name]
        assert _env(service)["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert service["build"] == ".", name  # the project's Dockerfile, not a stock image
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in _env(service), name
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}-python3\.11", dockerfile, re.M)
    assert "ARG AIRFLOW_VERSION=3.3.2" in dockerfile
    assert "requirements.lock" in dockerfile and "uv pip install" in dockerfile


def test_no_plaintext_secrets(compose):
    """Every secret is `${VAR:?...}` from .env: compose refuses to start without it."""
    for name, service in compose["services"].items():
        for key, value in _env(service).items():
            if SECRET_KEYS.search(key) and not key.endswith("_USERNAME"):
                refs = re.findall(r"\$\{([A-Z0-9_]+)(:?[?-])?[^}]*\}", value)
                assert refs, f"{name}: {key} is a literal: {value!r}"
                assert all(op == ":?" for _, op in refs), f"{name}: {key} has a default: {value}"
    text = COMPOSE.read_text(encoding="utf-8")
    assert not re.search(r"(PASSWORD|SECRET)[A-Z_]*:-", text), "a secret with a default value"
    assert "airflow:airflow@" not in text


def test_env_example_lists_every_required_variable():
    lines = COMPOSE.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    example = (PROJECT / ".env.example").read_text(encoding="utf-8")
    declared = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    assert required and required <= declared
    assert all(re.search(rf"^{v}=$", example, re.M) for v in required), "example has values"


def test_shared_volumes_and_pool(compose):
    for name in AIRFLOW_SERVICES:
        service = compose["services"][name]
        targets = {re.sub(r"\$\{[^}]*\}", "x", v).split(":")[1] for v in service["volumes"]}
        assert {"/data/landing", "/data/warehouse", "/data/published"} <= targets, name
        env = _env(service)
        assert env["SOCKPUPPET_WAREHOUSE"].startswith("/data/warehouse/")
        assert env["SOCKPUPPET_BUILD_DIR"].startswith("/data/warehouse/")
        assert env["SOCKPUPPET_OUT"] == "/data/published"
    init = " ".join(compose["services"]["airflow-init"]["command"])
    assert "airflow pools set duckdb_writer 1" in init


def test_ui_bound_to_localhost(compose):
    ports = compose["services"]["airflow-apiserver"]["ports"]
    assert all(str(p).startswith("127.0.0.1:") for p in ports)
