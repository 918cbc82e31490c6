#!/usr/bin/env bash
# Makes sure the machine has what the test suite runs against: real HAProxy, keepalived, nginx,
# Chromium and the packaging tests' tools from Debian's packages, and a running PostgreSQL at
# 127.0.0.1:5432. Installs what is missing (as root, with apt-get) and starts PostgreSQL if it is
# down. Fails loudly, never skips.
set -euo pipefail

missing=()
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v keepalived >/dev/null 2>&1 || missing+=(keepalived)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
# The packaging tests: systemd-analyze verifies the agent's unit, openssl makes an operator's CA,
# git serves the GitOps deploy step, pg_dump/pg_restore check the backup commands.
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-test-env: missing system packages: ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  echo "ensure-test-env: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -d "$pg_url" 2>/dev/null; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "ensure-test-env: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -d "$pg_url" 2>/dev/null && break; sleep 1; done
fi
if ! pg_isready -q -d "$pg_url" 2>/dev/null; then
  echo "ensure-test-env: PostgreSQL is not reachable at $pg_url; the tests need a real server (set TEST_DATABASE_URL)" >&2
  exit 1
fi
