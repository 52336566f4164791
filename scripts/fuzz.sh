#!/usr/bin/env bash
# Long fuzzing campaign (the test command runs a short one): every target of tests/fuzz.rs on the
# release build, for SECONDS per target (default 1800, so two hours for the four on two cores).
#
#   scripts/fuzz.sh [SECONDS] [TEST-NAME-FILTER]     e.g. scripts/fuzz.sh 600 fuzz_quiz_yaml
#
# Each input runs the real binary in a child process; the property is exit 0 or 1 within a time
# and memory bound. A failing input is shrunk and saved in tests/fuzz.proptest-regressions:
# commit that file with the fix, so every later run (the short one included) replays it first.
# TANDEM_FUZZ_BIN=path/to/tandem fuzzes another build, e.g. an older one, with the same inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-1800}
filter=${2:-fuzz_}
TANDEM_FUZZ_SECONDS=$seconds cargo test --release --locked --test fuzz -- --nocapture "$filter"
