// The child processes of an RTL unit's first-use build (rtl_cache.cc): a command's output,
// several commands a few at a time with their output logged, and a lock file between processes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace intvit::tb::dynamic {

using Argv = std::vector<std::string>;

// The path of the executable `name` in $PATH, "" if there is none.
std::string FindOnPath(const std::string& name);

// The output of a short command (a --version), "" if it fails.
std::string Capture(const Argv& argv);

// Runs the commands, `jobs` at a time, their output appended to `log`; waits for all of them,
// then throws std::runtime_error naming `what` with the log's last lines if any failed.
void RunAll(const std::vector<Argv>& cmds, const std::filesystem::path& log,
            const std::string& what, int jobs);

// Holds an exclusive flock on `path` while alive (InputError if the file cannot be created).
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

}  // namespace intvit::tb::dynamic
