// The one exception type for bad input: malformed files, unknown keys, out-of-range params,
// shapes that do not fit. The CLI turns it into a one-line message and exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace intvit {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws InputError(message) unless cond holds. The message is built before the call even when
// cond holds, so hot paths (per node, per element) test first and call Require(false, ...) only
// on failure.
inline void Require(bool cond, const std::string& message) {
  if (!cond) throw InputError(message);
}

}  // namespace intvit
