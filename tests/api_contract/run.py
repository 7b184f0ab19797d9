"""Run schemathesis against a live server on PostgreSQL, as an owner, a marketer and a manager.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/microcampaigns .venv/bin/python \
        tests/api_contract/run.py

Every phase (examples, coverage, fuzzing, stateful) and every check runs, with the
expectations in schemathesis.toml. Each role runs against its own server and its own fresh
copy of one seeded database (see seed.py), the two side by side, and is told the codes of the
seeded rows of both organisations, so its requests reach real rows, and never another
organisation's data.

The server is gunicorn, as in production, with DEBUG off. Its own request-line limit is
lifted: gunicorn answers an over-long URL with a 414 HTML page before the application sees it,
and the contract under test is the application's. Exits non-zero when any run fails.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, wait_for  # noqa: E402

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
ROLES = ("owner", "marketer", "manager")
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "25"))

# Which rows the code in a path, a body property or a query parameter names.
PATH_ROWS = {
    "organisations": "organisation",
    "memberships": "membership",
    "brands": "brand",
    "influencers": "influencer",
    "social-accounts": "social_account",
    "tiers": "tier",
    "benchmarks": "benchmark",
    "campaigns": "campaign",
    "goals": "goal",
    "goal-measurements": "goal_measurement",
    "ideas": "idea",
    "shortlist": "shortlist_entry",
    "term-sheets": "term_sheet",
}
FIELD_ROWS = {
    "brand": "brand",
    "brand_handle": "brand_handle",
    "campaign": "campaign",
    "goal": "goal",
    "influencer": "influencer",
    "tier": "tier",
    "account": "social_account",
}


def sql(database_url: str, statement: str) -> None:
    """Run one statement in the server's maintenance database."""
    parts = urlsplit(database_url)
    subprocess.run(
        [
            "psql",
            urlunsplit(parts._replace(path="/postgres")),
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            statement,
        ],
        check=True,
    )


def database_named(database_url: str, name: str) -> str:
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))


def toml_list(values) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def write_config(folder: Path, rows: dict[str, list[str]]) -> Path:
    """schemathesis.toml plus dictionaries of the seeded codes, bound where codes go."""
    lines = [(HERE / "schemathesis.toml").read_text()]
    for name, codes in rows.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_list(codes)}", ""]
    lines.append("[parameters]")
    for field, name in FIELD_ROWS.items():
        lines.append(f'"body.{field}" = {{ dictionary = "{name}", probability = 0.8 }}')
    for field in ("campaign", "goal", "influencer"):
        lines.append(f'"query.{field}" = {{ dictionary = "{field}", probability = 0.8 }}')
    lines.append("")
    for segment, name in PATH_ROWS.items():
        lines += [
            "[[operations]]",
            f'include-path-regex = "^/api/v1/{segment}/\\\\{{code\\\\}}/"',
            f'parameters = {{ "path.code" = {{ dictionary = "{name}", probability = 0.8 }} }}',
            "",
        ]
    config = folder / "schemathesis.toml"
    config.write_text("\n".join(lines))
    return config


class Server:
    """gunicorn serving the product on its own copy of the seeded database."""

    def __init__(self, env: dict, port: int):
        self.env, self.port, self.process = env, port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--limit-request-line",
                "0",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        wait_for(f"http://127.0.0.1:{self.port}/healthz")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def schemathesis(config: Path, port: int, token: str, log: Path) -> subprocess.Popen:
    """One role's run. One worker: CPython 3.11 can crash compiling in several threads at once
    ("AST constructor recursion depth mismatch"), so the roles run side by side instead."""
    return subprocess.Popen(
        [
            str(BIN / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            f"http://127.0.0.1:{port}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--workers",
            "1",
            "--seed",
            os.environ.get("CONTRACT_SEED", "20261201"),
        ],
        cwd=log.parent,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the contract runs on it.")
    base = urlsplit(database_url).path.lstrip("/") or "microcampaigns"
    template = f"{base}_contract_seed"
    live = {role: f"{base}_contract_{role}" for role in ROLES}
    work = Path(tempfile.mkdtemp(prefix="api-contract-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_named(database_url, template),
        "DEBUG": "false",
        "SECRET_KEY": "contract-run-" + os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(work / "data"),
        "CACHE_KEY_PREFIX": "api-contract",
        "LOG_LEVEL": "ERROR",  # refused requests are the point; server errors still show
    }
    started = time.monotonic()
    for name in (*live.values(), template):
        sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(database_url, f'CREATE DATABASE "{template}"')
    for command in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run([PYTHON, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    seeded_file = work / "seeded.json"
    subprocess.run([PYTHON, str(HERE / "seed.py"), str(seeded_file)], cwd=ROOT, env=env, check=True)
    seeded = json.loads(seeded_file.read_text())
    config = write_config(work, seeded["codes"])
    servers, runs = {}, {}
    try:
        for role in ROLES:
            sql(database_url, f'CREATE DATABASE "{live[role]}" TEMPLATE "{template}"')
            role_env = {**env, "DATABASE_URL": database_named(database_url, live[role])}
            servers[role] = Server(role_env, free_port())
            servers[role].start()
            folder = work / role
            folder.mkdir()
            token = seeded["tokens"][role]
            runs[role] = schemathesis(config, servers[role].port, token, folder / "run.log")
        failed = []
        for role, run in runs.items():
            run.wait()
            print(f"\n==> API contract as the {role}: exit {run.returncode}", flush=True)
            print((work / role / "run.log").read_text(), flush=True)
            if run.returncode:
                failed.append(role)
    finally:
        for server in servers.values():
            server.stop()
        for name in (*live.values(), template):
            sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    passed = len(ROLES) - len(failed)
    elapsed = time.monotonic() - started
    print(f"\nAPI contract: {passed} of {len(ROLES)} roles passed in {elapsed:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
