"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet (`make serve`)."""

import os
import sys
from urllib.parse import urlparse

import psycopg
from psycopg import sql


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.stderr.write(f"DATABASE_URL is not PostgreSQL: {url or '(empty)'}\n")
        return 1
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            sys.stdout.write(f"created database {name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
