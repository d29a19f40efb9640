#!/usr/bin/env bash
# End-to-end check of the embedded mode: `npm start` (the compiled build in dist/, built first when
# missing or stale) with no DATABASE_URL and a fresh DATA_DIR,
# one conversation through the REST API, Ctrl-C, no process left behind, then a restart that still
# has the conversation. Ports are spare ones so a running dev instance is not disturbed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Below the ephemeral range (32768+): a port the kernel hands out for outgoing connections can be
# taken by any client between this pick and the restart, and the second start then fails to bind.
free_port() {
  python3 -c '
import random, socket
while True:
    p = random.randint(20000, 32000)
    try:
        s = socket.socket(); s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError: pass'
}
DATA_DIR="$(mktemp -d /tmp/switchboard-smoke.XXXXXX)"
PORT="$(free_port)"
# Only `npm start` gets these, so a process with DATA_DIR=… in its environment is one it started.
run_env=(DATA_DIR="$DATA_DIR" PORT="$PORT" TEMPORAL_PORT="$(free_port)" TEMPORAL_UI_PORT="$(free_port)" PGLITE_PORT="$(free_port)")
unset DATABASE_URL SWITCHBOARD_SECRET_KEY SWITCHBOARD_DEMO_API_KEY
base="http://127.0.0.1:$PORT"
log="$DATA_DIR/start.log"
pid=""

die() {
  echo "smoke: FAILED: $*" >&2
  [ -f "$log" ] && { echo "--- npm start output ---" >&2; tail -n 60 "$log" >&2; }
  [ -n "$pid" ] && kill -INT -- "-$pid" 2>/dev/null || true
  exit 1
}
trap '[ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null; true' EXIT

start() {
  : > "$log"
  # Own session and process group, so SIGINT reaches it the way Ctrl-C in a terminal does.
  env "${run_env[@]}" setsid npm start > "$log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 240); do
    grep -q 'Demo API key' "$log" && break
    kill -0 "$pid" 2>/dev/null || die "npm start exited before printing the demo API key"
    sleep 1
  done
  key="$(grep -oE 'Demo API key +sb_[A-Za-z0-9_-]+' "$log" | awk '{print $4}')" || true
  flow="$(grep -oE 'Demo flow id +[0-9a-f-]+' "$log" | awk '{print $4}')" || true
  [ -n "$key" ] || die "no demo API key printed within 240s"
  [ -n "$flow" ] || die "no demo flow id printed"
}

stop() {
  kill -INT -- "-$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && die "npm start did not exit within 60s of SIGINT"
  sleep 1
  left="$(grep -lz -- "^DATA_DIR=$DATA_DIR\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | sort -u || true)"
  [ -z "$left" ] || die "processes left after stop: $(ps -o pid=,args= -p "$(echo "$left" | paste -sd,)" 2>/dev/null)"
  pid=""
}

api() { # METHOD PATH [JSON]
  curl -sS --fail-with-body -X "$1" "$base$2" -H "Authorization: Bearer $key" ${3:+-H 'content-type: application/json' -d "$3"}
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "smoke: starting (DATA_DIR=$DATA_DIR, PORT=$PORT)"
start
health="$(curl -sS "$base/health")" || die "GET /health failed"
[ "$(echo "$health" | json 'd["status"]')" = ok ] || die "unhealthy: $health"

conv="$(api POST /v1/conversations "{\"flowId\":\"$flow\"}")" || die "POST /v1/conversations: $conv"
id="$(echo "$conv" | json 'd["id"]')" || die "no conversation id in: $conv"
reply="$(api POST "/v1/conversations/$id/messages" '{"text":"Hello, I have a question"}')" || die "POST messages: $reply"
[ "$(echo "$reply" | json 'len(d.get("replies") or [])')" -gt 0 ] || die "no replies: $reply"
echo "smoke: conversation $id answered: $(echo "$reply" | json 'd["replies"][0]["text"]')"

# Self-healing: kill -9 one part at a time; the supervisor restarts it and the platform answers again.
part_pids() { # CMDLINE-PATTERN: the processes npm start runs whose command line has it
  for p in $(grep -lz -- "^DATA_DIR=$DATA_DIR\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
    tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "$1" && echo "$p"
  done
  true
}
part_restarts() { # NAME: its restart count once it runs again, else nothing
  curl -sS --max-time 3 "$base/health" 2>/dev/null |
    python3 -c "import json,sys; d=json.load(sys.stdin); p=(d.get('supervised') or {}).get('$1') or {}; print(p['restarts'] if p.get('state') == 'running' and d['status'] == 'ok' else '')" 2>/dev/null
}
heal_check() { # NAME CMDLINE-PATTERN
  local pids; pids="$(part_pids "$2")"
  [ -n "$pids" ] || die "no $1 process found"
  kill -KILL $pids
  for _ in $(seq 1 180); do [ "$(part_restarts "$1")" = 1 ] && break; sleep 1; done
  [ "$(part_restarts "$1")" = 1 ] || die "$1 was not restarted: $(curl -sS "$base/health")"
  local answer=""
  for _ in 1 2 3; do
    answer="$(api POST "/v1/conversations/$id/messages" '{"text":"Are you still there?"}' 2>/dev/null)" && break
    sleep 5
  done
  [ "$(echo "$answer" | json 'len(d.get("replies") or [])' 2>/dev/null)" -gt 0 ] 2>/dev/null || die "no answer after $1 was killed: $answer"
  echo "smoke: $1 killed with SIGKILL, restarted, answering again ($(grep -o "$1 is running again.*" "$log" | tail -1))"
}
# npm start runs the build under plain node: no tsx (nor esbuild service) among its processes.
[ -z "$(part_pids tsx)" ] || die "tsx runs under npm start: $(ps -o pid=,args= -p "$(part_pids tsx | paste -sd,)")"
heal_check worker dist/worker.js
heal_check api dist/api.js
heal_check db dist/pglite-server.js
heal_check temporal "server start-dev"

stop
# Other users of the machine must not read the databases or the keys (the log is this script's).
open_files="$(find "$DATA_DIR" ! -name start.log -perm /077 2>/dev/null | head -5)"
[ -z "$open_files" ] || die "readable by others in DATA_DIR: $open_files"
[ -s "$DATA_DIR/pglite.password" ] || die "no generated PGlite password"
echo "smoke: stopped cleanly; restarting on the same data"
first_key="$key"
start
[ "$key" = "$first_key" ] || die "the demo API key changed across restarts"
list="$(api GET /v1/conversations)" || die "GET /v1/conversations: $list"
echo "$list" | json "any(c['id'] == '$id' for c in d['conversations'])" | grep -qx True || die "conversation $id missing after restart: $list"
stop
rm -rf "$DATA_DIR"
echo "smoke: OK"
