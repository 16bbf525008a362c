#!/usr/bin/env bash
# Make sure the Redis server the Celery stack test (and `make stack`) uses is up on
# 127.0.0.1:6379, the way ensure-postgres.sh does PostgreSQL: start Debian's redis-server when it
# is installed but down, install it when it is missing.
set -euo pipefail
ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
if ready; then echo "redis: ready on 127.0.0.1:6379"; exit 0; fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis: not installed; installing from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
echo "redis: starting redis-server on 127.0.0.1:6379"
redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
  --protected-mode yes >/dev/null
for _ in $(seq 1 30); do ready && break; sleep 0.5; done
ready || { echo "redis: could not start Redis on 127.0.0.1:6379" >&2; exit 1; }
echo "redis: ready on 127.0.0.1:6379"
