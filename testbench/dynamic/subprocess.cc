#include "testbench/dynamic/subprocess.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <deque>
#include <sstream>
#include <fstream>
#include <stdexcept>

#include "model/common/error.h"

namespace intvit::tb::dynamic {
namespace {

namespace fs = std::filesystem;

// Runs argv with stdout and stderr to `log` (appended), or captured into *out if log is empty.
// Returns the pid; Wait() gives the exit status.
pid_t Spawn(const Argv& argv, const std::string& log, int* pipe_read) {
  int fds[2] = {-1, -1};
  if (log.empty() && pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = -1;
    if (log.empty()) {
      close(fds[0]);
      fd = fds[1];
    } else {
      fd = open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
    }
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  if (log.empty()) {
    close(fds[1]);
    *pipe_read = fds[0];
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Tail(const fs::path& log, int lines) {
  std::ifstream in(log);
  std::deque<std::string> last;
  for (std::string l; std::getline(in, l);) {
    last.push_back(l);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string s;
  for (const std::string& l : last) s += "  " + l + "\n";
  return s;
}

}  // namespace

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream in(path == nullptr ? "" : path);
  for (std::string dir; std::getline(in, dir, ':');) {
    const std::string p = (dir.empty() ? "." : dir) + "/" + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

// The output of a short command (a --version), "" if it fails.
std::string Capture(const Argv& argv) {
  int fd = -1;
  const pid_t pid = Spawn(argv, "", &fd);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  if (Wait(pid) != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Runs the commands, `jobs` at a time, logging to `log`; throws with the log's end on failure.
void RunAll(const std::vector<Argv>& cmds, const fs::path& log, const std::string& what,
            int jobs) {
  std::deque<pid_t> running;
  bool failed = false;
  auto reap = [&] {
    if (Wait(running.front()) != 0) failed = true;
    running.pop_front();
  };
  for (const Argv& c : cmds) {
    if (static_cast<int>(running.size()) >= jobs) reap();
    {
      std::ofstream(log, std::ios::app) << "$";
      for (const std::string& a : c) std::ofstream(log, std::ios::app) << ' ' << a;
      std::ofstream(log, std::ios::app) << '\n';
    }
    running.push_back(Spawn(c, log.string(), nullptr));
  }
  while (!running.empty()) reap();
  if (failed) throw std::runtime_error(what + " failed; the end of its output:\n" + Tail(log, 40));
}

FileLock::FileLock(const fs::path& path) : fd_(open(path.c_str(), O_CREAT | O_RDWR, 0644)) {
  if (fd_ < 0) throw InputError("cannot create the lock file " + path.string());
  while (flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) throw std::runtime_error("flock failed on " + path.string());
  }
}

FileLock::~FileLock() { close(fd_); }

}  // namespace intvit::tb::dynamic
