#!/usr/bin/env bash
# The demo model's one-command recipe: train, then regenerate everything the repository
# ships from the checkpoint (GGUF, model card, frames JSON/TS, CI fixtures).
# Usage (from the repository root): bash training/train.sh
# Environment: THREADS (default 1, see README.md), STEPS (default 700), SEED; STEPS2 (default 150):
# a second, lower-rate phase of that many steps from the first phase's weights (LR2, default 4e-4; 0: none).
set -euo pipefail
cd "$(dirname "$0")"

THREADS="${THREADS:-1}"
STEPS="${STEPS:-700}"
SEED="${SEED:-20240917}"
STEPS2="${STEPS2:-150}"
LR2="${LR2:-4e-4}"
PYTHON=/usr/bin/python3   # Debian's python3 with python3-torch (not a pyenv/venv python)

export OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
mkdir -p build
"$PYTHON" train.py --seed "$SEED" --steps "$STEPS" --threads "$THREADS" --out build/checkpoint.pt 2>&1 | tee build/train.log
COMMAND="bash training/train.sh  # THREADS=$THREADS STEPS=$STEPS SEED=$SEED"
CHECKPOINT=build/checkpoint.pt
if [ "$STEPS2" -gt 0 ]; then
  "$PYTHON" train.py --init build/checkpoint.pt --seed "$((SEED + 1))" --steps "$STEPS2" --lr "$LR2" --ema-start 0.3 --ema-decay 0.98 \
    --threads "$THREADS" --out build/checkpoint2.pt 2>&1 | tee build/train2.log
  COMMAND="$COMMAND STEPS2=$STEPS2 LR2=$LR2"
  CHECKPOINT=build/checkpoint2.pt
fi
"$PYTHON" export.py --checkpoint "$CHECKPOINT" --command "$COMMAND"
