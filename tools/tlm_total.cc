#include "tools/tlm_total.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "model/common/error.h"
#include "sim/top/simulate.h"

namespace intvit::tools {

std::int64_t TlmTotalCycles(const compiler::Program& p, const model::Graph& g,
                            const model::Tensor& image, const model::GoldenTrace& golden,
                            std::int64_t quantum_cycles) {
  int fds[2];
  Require(pipe(fds) == 0, "cannot create a pipe for the TLM reference run");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  Require(pid >= 0, "cannot fork the TLM reference run");
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int code = 0;
    try {
      sim::SimOptions o;
      o.quantum_cycles = quantum_cycles;
      out = std::to_string(sim::Simulate(p, g, image, golden, o).total_cycles);
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
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Require(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the TLM reference run failed: " + (out.empty() ? std::string("no message") : out));
  return std::stoll(out);
}

}  // namespace intvit::tools
