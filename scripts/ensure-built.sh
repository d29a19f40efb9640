#!/usr/bin/env bash
# Runs `npm run build` (scripts/build.ts) when dist/ is missing or older than a source it was built
# from (listed in dist/.sources): one `find`, no TypeScript loaded when nothing changed. Then execs
# the command given, if any: `ensure-built.sh node dist/start.js`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
manifest="$root/dist/.sources"

stale() {
  [ -f "$manifest" ] || return 0
  local sources=() line
  while IFS= read -r line; do [ -n "$line" ] && sources+=("$root/$line"); done < "$manifest"
  # A vanished source makes find complain: that is stale too.
  [ -n "$(find "${sources[@]}" -newer "$manifest" -type f \( -name '*.ts' -o -name '*.json' \) -not -path '*/node_modules/*' -print -quit 2>&1)" ]
}

if stale; then
  # Two starts at once (test files run in parallel) build once: the second waits, then finds it fresh.
  if command -v flock >/dev/null; then exec 9> "$root/.build.lock"; flock 9; fi
  if stale; then (cd "$root" && "$root/node_modules/.bin/tsx" scripts/build.ts); fi
  if command -v flock >/dev/null; then exec 9>&-; fi
fi
if [ $# -gt 0 ]; then exec "$@"; fi
