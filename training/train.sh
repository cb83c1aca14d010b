#!/usr/bin/env bash
# The demo model's one-command recipe: train, then regenerate everything the repository
# ships from the checkpoint (GGUF, model card, frames JSON/TS, CI fixtures).
# Usage (from the repository root): bash training/train.sh
# Environment: THREADS (default 1, see README.md), STEPS (default 700), SEED.
set -euo pipefail
cd "$(dirname "$0")"

THREADS="${THREADS:-1}"
STEPS="${STEPS:-700}"
SEED="${SEED:-20240917}"
PYTHON=/usr/bin/python3   # Debian's python3 with python3-torch (not a pyenv/venv python)

export OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
mkdir -p build
"$PYTHON" train.py --seed "$SEED" --steps "$STEPS" --threads "$THREADS" --out build/checkpoint.pt 2>&1 | tee build/train.log
"$PYTHON" export.py --checkpoint build/checkpoint.pt --command "bash training/train.sh  # THREADS=$THREADS STEPS=$STEPS SEED=$SEED"
