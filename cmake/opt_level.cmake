# Optimization levels by what the code is for. A clean Release build on CI's 2 cores is mostly
# code generation, and -O3 costs about 1.6x the CPU of -O1 per TU (measured on this code base:
# vector_case_test.cc 20.0 s at -O3, 16.8 s at -O2, 12.8 s at -O1).
#   - the golden model's kernels (intvit_model): -O3, which the speed figures in docs/ use;
#   - the rest of the libraries: -O2 (CMAKE_CXX_FLAGS_RELEASE below);
#   - drivers (tests, the CLI's argument handling): -O1; their run time is the libraries'.
# Only the Release configuration is touched: the sanitizer build sets its own flags.
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG")

# intvit_opt_level(<target> <1|2|3>)
function(intvit_opt_level target level)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O${level}>)
endfunction()
