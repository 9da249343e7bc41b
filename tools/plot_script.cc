#include "tools/plot_script.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

extern char** environ;

namespace intvit::tools {
namespace {

// intvit_plot.py's exit codes: 0 done, 2 bad input (its stderr holds one `error:` line),
// 4 this interpreter has no matplotlib. Anything else is a bug in the script.
constexpr int kBadInput = 2;
constexpr int kNoMatplotlib = 4;
constexpr std::size_t kStderrCap = 64 << 10;

std::string ScriptPath() {
  const std::filesystem::path p =
      std::filesystem::path(INTVIT_SOURCE_DIR) / "tools" / "plot" / "intvit_plot.py";
  Require(std::filesystem::is_regular_file(p),
          p.string() +
              ": the plot script is missing (intvit finds it in the source tree it was "
              "built from; rebuild from a complete checkout)");
  return p.string();
}

struct Outcome {
  bool started = false;  // false: the interpreter could not be run at all
  int status = 0;        // waitpid status
  std::string err;       // the child's stderr (at most kStderrCap bytes kept)
};

// Runs argv with its stderr into a pipe that is read to the end, then waits for it.
Outcome Run(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  Outcome o;
  if (rc != 0) {
    close(fds[0]);
    return o;
  }
  char buf[4096];
  while (true) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (o.err.size() < kStderrCap) o.err.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  while (waitpid(pid, &o.status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  }
  // posix_spawnp may report a missing program only through the child's exit code 127.
  o.started = !(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 127 && o.err.empty());
  return o;
}

// The script's `error: ...` line, without the prefix.
std::string ErrorLine(const std::string& err) {
  std::size_t at = err.rfind("error: ");
  if (at == std::string::npos) return "the plot script failed without a message";
  std::string line = err.substr(at + 7);
  return line.substr(0, line.find('\n'));
}

std::vector<std::string> Interpreters() {
  if (const char* env = std::getenv("INTVIT_PYTHON"); env != nullptr && *env != '\0') {
    return {env};
  }
  return {"python3", "/usr/bin/python3"};
}

}  // namespace

void RunPlotScript(const std::vector<std::string>& args) {
  const std::string script = ScriptPath();
  bool any_started = false;
  for (const std::string& python : Interpreters()) {
    std::vector<std::string> argv = {python, script};
    argv.insert(argv.end(), args.begin(), args.end());
    const Outcome o = Run(argv);
    if (!o.started) continue;
    any_started = true;
    if (WIFEXITED(o.status) && WEXITSTATUS(o.status) == kNoMatplotlib) continue;
    if (WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0) {
      std::cerr << o.err;  // notes and warnings, if any
      return;
    }
    if (WIFEXITED(o.status) && WEXITSTATUS(o.status) == kBadInput) {
      throw InputError(ErrorLine(o.err));
    }
    std::cerr << o.err;
    throw std::runtime_error("the plot script " + script +
                             (WIFSIGNALED(o.status)
                                  ? " was killed by signal " + std::to_string(WTERMSIG(o.status))
                                  : " exited " + std::to_string(WEXITSTATUS(o.status))));
  }
  throw PlotToolsMissing(any_started
                       ? "the figures need matplotlib: install python3-matplotlib (./run.sh "
                         "build installs it), or set INTVIT_PYTHON to a python3 that has it"
                       : "the figures need python3 with matplotlib, and no python3 was found: "
                         "install python3-matplotlib, or set INTVIT_PYTHON");
}

void CheckPlotTools() { RunPlotScript({"check"}); }

}  // namespace intvit::tools
