#!/usr/bin/env bash
# What `npm test` needs on this machine: PostgreSQL with pgvector on 127.0.0.1:5432, Redis on
# 127.0.0.1:6379 (the defaults test/setup/global.ts uses), Debian's Chromium for browser tests and
# Radicale (PyPI, into .tools/py/radicale) for the CalDAV tests.
# As root it installs and starts what is missing (Debian); otherwise it says what to install and fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
is_root() { [ "$(id -u)" = 0 ]; }
missing=()

pg_answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_answers() {
  local reply
  reply="$( { exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && echo "$line"; } 2>/dev/null || true)"
  [[ "$reply" == +PONG* ]]
}
wait_for() { for _ in $(seq 1 50); do "$1" && return 0; sleep 0.2; done; return 1; }

# PostgreSQL + pgvector
pg_major="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$pg_major" ]; then
  missing+=("PostgreSQL server (Debian: apt-get install -y postgresql)")
else
  if [ ! -f "/usr/share/postgresql/$pg_major/extension/vector.control" ]; then
    if is_root; then bash "$root/scripts/install-pgvector.sh"
    else missing+=("pgvector for PostgreSQL $pg_major (run scripts/install-pgvector.sh as root, or apt-get install postgresql-$pg_major-pgvector where available)"); fi
  fi
  if ! pg_answers; then
    if is_root; then
      echo "ensure-services: starting PostgreSQL $pg_major" >&2
      pg_ctlcluster --skip-systemctl-redirect "$pg_major" main start
      wait_for pg_answers || { echo "ensure-services: PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
    else missing+=("a running PostgreSQL on 127.0.0.1:5432 (sudo pg_ctlcluster $pg_major main start)"); fi
  fi
fi

# Redis
if ! redis_answers; then
  if ! command -v redis-server >/dev/null; then
    missing+=("Redis (Debian: apt-get install -y redis-server)")
  elif is_root; then
    echo "ensure-services: starting Redis" >&2
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for redis_answers || { echo "ensure-services: Redis did not come up on 127.0.0.1:6379 (see /var/log/redis/ci.log)" >&2; exit 1; }
  else missing+=("a running Redis on 127.0.0.1:6379 (redis-server --daemonize yes --port 6379)"); fi
fi

# Chromium (driven by playwright-core; its own browser download cannot work offline)
if ! command -v chromium >/dev/null; then
  if is_root && command -v apt-get >/dev/null; then
    echo "ensure-services: installing chromium" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  else missing+=("Chromium at /usr/bin/chromium (Debian: apt-get install -y chromium)"); fi
fi

# Speech: espeak-ng (offline TTS) and PocketSphinx with its US English model (offline STT), voice/.
speech_pkgs=()
command -v espeak-ng >/dev/null || speech_pkgs+=(espeak-ng)
command -v pocketsphinx_continuous >/dev/null || speech_pkgs+=(pocketsphinx)
[ -f /usr/share/pocketsphinx/model/en-us/en-us.lm.bin ] || speech_pkgs+=(pocketsphinx-en-us)
if [ ${#speech_pkgs[@]} -gt 0 ]; then
  if is_root && command -v apt-get >/dev/null; then
    echo "ensure-services: installing ${speech_pkgs[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${speech_pkgs[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${speech_pkgs[@]}" >/dev/null; }
  else missing+=("${speech_pkgs[*]} (Debian: apt-get install -y ${speech_pkgs[*]})"); fi
fi

# Radicale, the CalDAV server the calendar tests start (test/fakes/radicale.ts). A --target install
# keeps it and its pure-Python dependencies in one folder that PYTHONPATH points at; no root needed.
radicale_version=3.9.0
radicale_dir="$root/.tools/py/radicale"
if [ "$(cat "$radicale_dir/VERSION" 2>/dev/null || true)" != "$radicale_version" ]; then
  if command -v python3 >/dev/null; then
    echo "ensure-services: installing Radicale $radicale_version into .tools/py/radicale" >&2
    rm -rf "$radicale_dir"
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-conflicts --target "$radicale_dir" "radicale==$radicale_version" >&2
    echo "$radicale_version" > "$radicale_dir/VERSION"
  else missing+=("python3 with pip, to install Radicale for the CalDAV tests (Debian: apt-get install -y python3-pip)"); fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-services: missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi
