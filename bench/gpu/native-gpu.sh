#!/usr/bin/env bash
# The `npm run bench -- --native` comparison on a CUDA machine: builds llama.cpp's tools with
# the CUDA backend from the same source node-llama-cpp ships (scripts/build-llama-tools.sh),
# then runs Masque (node-llama-cpp's prebuilt CUDA binary) against llama-bench and
# llama-batched-bench with every layer on the GPU.
#
# Usage: bash bench/gpu/native-gpu.sh [bench options], e.g.
#          bash bench/gpu/native-gpu.sh --size 1b --type f16,q8_0 --rounds 3
# Needs: nvcc (CUDA toolkit) and cmake/g++ for the tool build; @node-llama-cpp/linux-x64-cuda
# installed (npm ci does that on Linux x64). Environment: CUDA_ARCH (default "native", the GPU
# in this machine; builds much faster than all architectures), JOBS (default nproc),
# MASQUE_BENCH_THREADS (CPU threads for both sides, default 4: with every layer on the GPU
# the CPU only feeds it), MASQUE_GPU_BANDWIDTH_GBS (the GPU's memory bandwidth for the
# bandwidth ratio, which the bench cannot measure on a GPU; default 4800, an H200's nominal).
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v nvidia-smi >/dev/null || { echo "native-gpu: no nvidia-smi; this script needs a CUDA GPU" >&2; exit 1; }
command -v nvcc >/dev/null || { echo "native-gpu: nvcc is missing (install the CUDA toolkit, e.g. apt-get install nvidia-cuda-toolkit)" >&2; exit 1; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

export MASQUE_LLAMA_CMAKE_FLAGS="-DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCH:-native}"
echo "building llama-bench and llama-batched-bench with CUDA (cached after the first build)..."
tools="$(bash scripts/build-llama-tools.sh llama-bench llama-batched-bench | tail -1)"
export MASQUE_LLAMA_TOOLS="$tools"
echo "native tools: $tools"

node scripts/build.mjs --node-only
node dist/bench/bench.mjs --native --gpu --threads "${MASQUE_BENCH_THREADS:-4}" --bandwidth "${MASQUE_GPU_BANDWIDTH_GBS:-4800}" "$@"
