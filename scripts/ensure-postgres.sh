#!/usr/bin/env bash
# Make sure the PostgreSQL server the integration tests use is up on 127.0.0.1:5432.
# On this machine kind it is installed and started before a session; on a fresh machine or in CI
# it may have stopped, so start it (Debian's cluster), or install it when it is missing.
set -euo pipefail
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ready; then echo "postgres: ready on 127.0.0.1:5432"; exit 0; fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "postgres: not installed; installing from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /etc/postgresql | sort -n | tail -1)
echo "postgres: starting cluster $ver/main"
pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
for _ in $(seq 1 30); do ready && break; sleep 1; done
ready || { echo "postgres: could not start PostgreSQL on 127.0.0.1:5432" >&2; exit 1; }
# trust auth and a 'test' database, as on this machine kind
su postgres -c "psql -tAc \"select 1 from pg_database where datname='test'\"" | grep -q 1 \
  || su postgres -c "createdb test"
echo "postgres: ready on 127.0.0.1:5432"
