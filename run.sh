#!/usr/bin/env bash
# intvit's two entry points on a fresh Debian 12 machine:
#   ./run.sh demo   install what is missing, build the CLI, and run the end-to-end showcase
#   ./run.sh test   install what is missing, build, run the full test suite, then the
#                   ASan+UBSan build of the golden-model, compiler, executor and TLM tests,
#                   then the libFuzzer harnesses of the file readers (a fixed number of runs)
# Extra: ./run.sh build (install and build only).
#        ./run.sh fuzz [SECONDS] [HARNESS...]   the long fuzz campaign: each harness for SECONDS,
#                            default 300; FUZZ_RUNS=N stops each after N executions
#        ./run.sh coverage   the RTL coverage build (build-cov) and its campaign: committed vectors,
#                            DeiT-Tiny cases, random cases and the units' directed tests; writes
#                            build-cov/coverage/html and the summary table (docs/rtl.md, "Coverage")
# Environment: BUILD_DIR (default build), ASAN_BUILD_DIR (default build-asan), COV_BUILD_DIR (default
# build-cov), FUZZ_BUILD_DIR (default build-fuzz), JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
COV_BUILD_DIR=${COV_BUILD_DIR:-build-cov}
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(cmake g++ make ninja-build pkg-config ccache git
          libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libcli11-dev libfmt-dev
          zlib1g-dev libpng-dev libjpeg-dev python3 python3-numpy libsystemc-dev verilator yosys
          python3-matplotlib chromium clang-14 libclang-rt-14-dev)

log() { printf '\033[1m[run.sh +%ss]\033[0m %s\n' "$SECONDS" "$*"; }

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    return
  fi
  log "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

configure_and_build() {  # dir, extra cmake args...
  local dir=$1; shift
  export CCACHE_BASEDIR=$PWD
  # Configure every time, so a build folder left from other options gets these ones.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  log "building ${TARGETS:-everything} in $dir (-j$JOBS)"
  # shellcheck disable=SC2086
  cmake --build "$dir" -j "$JOBS" ${TARGETS:+--target $TARGETS}
}

cmd_build() {
  install_packages
  configure_and_build "$BUILD_DIR"
}

cmd_test() {
  cmd_build
  log "full suite (ctest)"
  ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure
  # One sanitizer build: the golden model, compiler, executor and TLM tests under ASan+UBSan
  # (no RTL: Verilated code is generated, and its tests run above). -O1 -g1 keeps the build
  # short on CI's 2 cores; line tables are enough for ASan's stack traces.
  log "sanitizer build (ASan+UBSan): golden model, compiler, executor and TLM tests"
  configure_and_build "$ASAN_BUILD_DIR" -DINTVIT_SANITIZE=ON -DINTVIT_WITH_RTL=OFF \
    -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1"
  # The sanitizers check code paths, not model sizes: full DeiT-Tiny runs once through the
  # executor (small_sram, which splits the most), once through the TLM model (base16) and once
  # in the golden checksums here. The other full-size repeats of the same paths on other
  # configs run in the normal suite above; under ASan they cost 150 s of CI's 20 minutes.
  # doc_figures checks the numbers docs/timing.md quotes, not code paths: the normal suite has it.
  # plots_test and report_page_test check python and Chromium output: the normal suite has them.
  # sweep_shard_test repeats the sweep paths sweep_spec_test and sweep_resume_test take here
  # (its own part is file merging), for 30 s of ASan time: the normal suite has it.
  log "sanitizer suite (ctest)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0 \
    UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$ASAN_BUILD_DIR" -j "$JOBS" --output-on-failure -L 'model|cli|compiler|exec|tlm' \
      -E 'doc_figures|plots_test|report_page_test|sweep_shard_test|DeitTinyIsSlowerOnASmallerArray|DeitTinyIsBitExactOnTiny4|DeitTinyExec.IsBitExact/"(base16|wide8x32|big32)"'
  # The fuzz build: the readers of user files under libFuzzer, ASan and UBSan (tests/fuzz/).
  build_fuzz
  log "fuzz harnesses: the regression inputs, then a fixed number of executions each (ctest -L fuzz)"
  ctest --test-dir "$FUZZ_BUILD_DIR" -j "$JOBS" --output-on-failure -L fuzz
  log "all tests passed"
}

build_fuzz() {
  # clang (libFuzzer), no SystemC and no RTL: only model/, compiler/ and the harnesses.
  configure_and_build "$FUZZ_BUILD_DIR" -DINTVIT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 \
    -DINTVIT_GOLDEN_ONLY=ON -DINTVIT_WITH_RTL=OFF -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1"
}

cmd_fuzz() {  # [SECONDS] [HARNESS...]
  install_packages
  build_fuzz
  log "fuzz campaign (tests/fuzz/campaign.sh)"
  bash tests/fuzz/campaign.sh "$FUZZ_BUILD_DIR" "$@"
}

cmd_demo() {
  install_packages
  # The demo runs only the CLI: build it, not the tests (./run.sh test builds everything).
  TARGETS=intvit configure_and_build "$BUILD_DIR"
  bash tools/demo.sh "$BUILD_DIR"
}

cmd_coverage() {
  PACKAGES+=(lcov)  # genhtml
  install_packages
  # Only what the campaign runs: the CLI and the unit tests of the units --impl rtl uses.
  TARGETS="intvit intvit_rtl_tests rtl_nl_prims rtl_nl_shiftmax_l8s4 rtl_nl_gelu_l8s4 rtl_nl_layernorm_l8s4" \
    configure_and_build "$COV_BUILD_DIR" -DINTVIT_RTL_COVERAGE=ON
  log "RTL coverage campaign"
  bash rtl/coverage/coverage.sh . "$COV_BUILD_DIR"
  log "coverage done"
}

case "${1:-}" in
  demo) cmd_demo ;;
  test) cmd_test ;;
  build) cmd_build ;;
  coverage) cmd_coverage ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  *) echo "usage: ./run.sh demo|test|build|coverage|fuzz [SECONDS] [HARNESS...]" >&2; exit 2 ;;
esac
