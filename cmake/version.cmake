# Stamps the generator string ("intvit 0.1.0 (git abc1234)") into generated/intvit_version.h,
# so that every vector and report names the code that made it.
find_package(Git QUIET)
set(INTVIT_GIT_HASH "unknown")
if(GIT_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=7 HEAD
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE INTVIT_GIT_HASH OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET)
  if(NOT INTVIT_GIT_HASH)
    set(INTVIT_GIT_HASH "unknown")
  endif()
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/intvit_version.h.in
               ${PROJECT_BINARY_DIR}/generated/intvit_version.h @ONLY)
