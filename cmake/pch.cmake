# Precompiled headers. A clean build (what CI does, on 2 cores, with no ccache) spends most of its
# time parsing the same heavy header-only libraries in every TU: nlohmann/json, CLI11, GoogleTest
# and SystemC. Each target gets one PCH of the ones it uses; the TUs still include what they use,
# so a build without PCH (-DINTVIT_PCH=OFF) compiles the same code.
option(INTVIT_PCH "Precompile the heavy third-party headers" ON)

set(INTVIT_PCH_STD <algorithm> <array> <cstdint> <functional> <map> <memory> <optional>
    <sstream> <stdexcept> <string> <string_view> <unordered_map> <vector>)

# intvit_precompile(<target> [JSON] [GTEST] [CLI] [SYSTEMC])
function(intvit_precompile target)
  if(NOT INTVIT_PCH)
    return()
  endif()
  cmake_parse_arguments(P "JSON;GTEST;CLI;SYSTEMC" "" "" ${ARGN})
  set(headers ${INTVIT_PCH_STD})
  if(P_JSON)
    list(APPEND headers <nlohmann/json.hpp>)
  endif()
  if(P_GTEST)
    list(APPEND headers <gtest/gtest.h> <gmock/gmock.h>)
  endif()
  if(P_CLI)
    list(APPEND headers <CLI/CLI.hpp>)
  endif()
  if(P_SYSTEMC)
    list(APPEND headers <systemc> <tlm>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
