#!/usr/bin/env bash
# Builds and installs pgvector for the local PostgreSQL from Debian's own source package
# (bookworm has no pgvector for PostgreSQL 15; trixie's source builds against it). Needs root.
# Does nothing when the extension is already installed.
set -euo pipefail
pg_major="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$pg_major" ] || { echo "install-pgvector: no PostgreSQL server found" >&2; exit 1; }
if [ -f "/usr/share/postgresql/$pg_major/extension/vector.control" ]; then exit 0; fi
pg_config="/usr/lib/postgresql/$pg_major/bin/pg_config"

# Reuse the Debian mirror this machine already uses for the trixie source line.
mirror="$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ' || true)"
[ -n "$mirror" ] || { echo "install-pgvector: no Debian mirror configured in apt sources" >&2; exit 1; }
list=/etc/apt/sources.list.d/switchboard-trixie-src.list
echo "deb-src ${mirror%/} trixie main" > "$list"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq -o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0
apt-get install -y -qq "postgresql-server-dev-$pg_major" build-essential dpkg-dev >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq --download-only pgvector >/dev/null && dpkg-source -x --skip-debianization ./pgvector_*.dsc src >/dev/null 2>&1 || dpkg-source -x ./pgvector_*.dsc src >/dev/null)
make -s -C "$work/src" PG_CONFIG="$pg_config" >/dev/null
make -s -C "$work/src" PG_CONFIG="$pg_config" install >/dev/null
echo "install-pgvector: pgvector installed for PostgreSQL $pg_major" >&2
