// SystemC elaborates once per process. Code that needs a second simulation in the same command
// (co-simulation's TLM reference run, tests that compare two runs) runs it in a forked child,
// which sends its answer back through a pipe. Fork before the parent elaborates anything.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>
#include <string>

namespace intvit::sim {

// Runs `f` in a child process and returns the string it produced. If `f` throws, the child
// exits 1 with the exception's message; the parent then throws std::runtime_error holding
// what the child wrote.
inline std::string RunInChild(const std::function<std::string()>& f) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    std::string out;
    try {
      out = f();
    } catch (const std::exception& e) {
      out = e.what();
      code = 1;
    }
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t w = write(fds[1], out.data() + done, out.size() - done);
      if (w <= 0) break;
      done += static_cast<std::size_t>(w);
    }
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(out.empty() ? "the child process failed" : out);
  }
  return out;
}

}  // namespace intvit::sim
