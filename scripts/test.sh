#!/usr/bin/env bash
# `npm test`: makes sure PostgreSQL (with pgvector) and Redis are up, then runs vitest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/ensure-services.sh"
cd "$root"
exec vitest run "$@"
