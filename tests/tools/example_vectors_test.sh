#!/usr/bin/env bash
# cli.example_vectors_test: the committed example cases agree with an implementation that is
# independent of the code under test (tools/make_example_vectors.py, pure Python from
# ARITHMETIC.md), so the golden model cannot silently bless its own bugs.
# Usage: bash example_vectors_test.sh <path-to-intvit> <repo-root>   (intvit is not used)
set -euo pipefail
root=$2
if ! command -v python3 >/dev/null; then
  echo "python3 not found; skipping the independent re-derivation"
  exit 77
fi
python3 "$root/tools/make_example_vectors.py" verify "$root/vectors/examples"
# The deliberately wrong case must be caught by the independent check too.
if python3 "$root/tools/make_example_vectors.py" verify "$root/vectors/mismatch" >/dev/null; then
  echo "FAIL: vectors/mismatch passed the Python reference"
  exit 1
fi
