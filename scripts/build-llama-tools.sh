#!/usr/bin/env bash
# Builds llama.cpp's own tools (llama-server, llama-bench, llama-batched-bench, llama-quantize)
# from the llama.cpp source that node-llama-cpp ships as a git bundle, so the reference tools
# are exactly the llama.cpp Masque runs. The build is cached outside the repository, keyed by
# the bundle's commit; a second run with the same commit only prints the folder.
#
# Usage: bash scripts/build-llama-tools.sh [target ...]
# Environment: MASQUE_LLAMA_TOOLS_CACHE (default ~/.cache/masque/llama-tools), JOBS (default nproc),
#              MASQUE_LLAMA_CMAKE_FLAGS (extra cmake flags, e.g. -DGGML_CUDA=ON on a GPU machine).
# Prints the folder holding the binaries as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle="node_modules/node-llama-cpp/llama/gitRelease.bundle"
[ -f "$bundle" ] || { echo "build-llama-tools: $bundle is missing (run npm ci first)" >&2; exit 1; }
commit="$(git bundle list-heads "$bundle" | awk 'NR==1 {print $1}')"
flags="${MASQUE_LLAMA_CMAKE_FLAGS:-}"
variant="cpu"
[ -n "$flags" ] && variant="$(printf '%s' "$flags" | sha256sum | cut -c1-12)"
cache="${MASQUE_LLAMA_TOOLS_CACHE:-$HOME/.cache/masque/llama-tools}"
root="$cache/$commit-$variant"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(llama-server llama-bench llama-batched-bench llama-quantize)

missing=()
for t in "${targets[@]}"; do [ -x "$root/build/bin/$t" ] || missing+=("$t"); done
if [ ${#missing[@]} -eq 0 ]; then echo "$root/build/bin"; exit 0; fi

command -v cmake >/dev/null || { echo "build-llama-tools: cmake is missing (apt-get install cmake g++)" >&2; exit 1; }
mkdir -p "$cache"
# One builder at a time per cache folder; others wait for it.
exec 9>"$cache/.lock"
flock 9
if [ ! -d "$root/src/.git" ]; then
  rm -rf "$root/src"
  git clone --quiet "$bundle" "$root/src"
  git -C "$root/src" checkout --quiet "$commit"
fi
# shellcheck disable=SC2086
cmake -S "$root/src" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF $flags >"$root/cmake.log" 2>&1 \
  || { tail -30 "$root/cmake.log" >&2; exit 1; }
cmake --build "$root/build" --target "${missing[@]}" -j "${JOBS:-$(nproc)}" >"$root/build.log" 2>&1 \
  || { tail -30 "$root/build.log" >&2; exit 1; }
echo "$root/build/bin"
