// What every libFuzzer harness of tests/fuzz/ holds a reader to (docs/robustness.md, "Fuzzing").
// A reader given any bytes either returns or throws InputError, the one exception the CLI turns
// into one `error:` line and exit 2. Anything else (another exception, which the CLI reports
// as an internal error with exit 3, a crash, a sanitizer report, a broken invariant) is a
// finding: it aborts, and libFuzzer keeps the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "model/common/error.h"

namespace intvit::fuzz {

[[noreturn]] inline void Finding(const std::string& what) {
  std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
  std::abort();
}

// Aborts with `what` unless cond holds: an invariant the reader's contract promises.
inline void Expect(bool cond, const std::string& what) {
  if (!cond) Finding("broken invariant: " + what);
}

// Runs `body`; InputError is the expected outcome of bad input, every other exception a finding.
template <typename F>
void ExpectOnlyInputError(F&& body) {
  try {
    std::forward<F>(body)();
  } catch (const InputError&) {
    // Documented: one `error:` line, exit 2.
  } catch (const std::exception& e) {
    Finding(std::string("exception ") + typeid(e).name() +
            " escaped (exit 3 in the CLI): " + e.what());
  } catch (...) {
    Finding("a non-std exception escaped");
  }
}

// Splits `data` into the text before the first line that starts with `marker` and the sections
// after each such line: {rest of the marker line, the lines up to the next marker line}. The
// harnesses that need more than one file (a manifest and its hex files, a config and its -p
// overrides) read them from one input this way, so the fuzzer mutates all of them together.
struct Section {
  std::string head;  // the marker line after `marker`
  std::string body;
};
inline std::pair<std::string, std::vector<Section>> SplitSections(std::string_view data,
                                                                  std::string_view marker) {
  std::string first;
  std::vector<Section> sections;
  std::string* body = &first;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t end = data.find('\n', pos);
    end = end == std::string_view::npos ? data.size() : end + 1;
    const std::string_view line = data.substr(pos, end - pos);
    if (line.starts_with(marker)) {
      std::string_view head = line.substr(marker.size());
      if (head.ends_with('\n')) head.remove_suffix(1);
      sections.push_back({std::string(head), {}});
      body = &sections.back().body;
    } else {
      body->append(line);
    }
    pos = end;
  }
  return {std::move(first), std::move(sections)};
}

}  // namespace intvit::fuzz
