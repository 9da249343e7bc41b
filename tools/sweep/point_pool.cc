#include "tools/sweep/point_pool.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>

#include "model/common/atomic_file.h"
#include "model/common/error.h"

namespace intvit::tools::sweep {
namespace {

namespace fs = std::filesystem;

std::size_t ModelIndex(const SweepSpec& spec, const std::string& model) {
  for (std::size_t i = 0; i < spec.models.size(); ++i) {
    if (spec.models[i] == model) return i;
  }
  throw std::logic_error("sweep point of an unknown model " + model);
}

// The child: never returns.
[[noreturn]] void ChildMain(const SweepSpec& spec, const SweepPoint& p, ModelRun& run,
                            const fs::path& pdir, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // the parent died before prctl
  const int log = ::open((pdir / "log.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log >= 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    ::close(log);
  }
  Row row;
  try {
    row = RunPoint(spec, p, std::move(run), pdir);
  } catch (const std::exception& e) {
    const bool input = dynamic_cast<const InputError*>(&e) != nullptr;
    row = BaseRow(spec, p, (input ? "" : "internal error: ") + std::string(e.what()));
  }
  try {
    WriteFileAtomically(pdir / "row.json", row.dump() + "\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  std::fflush(stdout);
  std::fflush(stderr);
  _exit(0);
}

// The row a finished child left, or a failed row naming how it ended.
Row CollectRow(const SweepSpec& spec, const SweepPoint& p, const fs::path& pdir, int status) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    std::ifstream in(pdir / "row.json");
    Row r = Row::parse(in, nullptr, false);
    if (r.is_object() && r.value("id", "") == p.id) return r;
  }
  const std::string how = WIFSIGNALED(status)
                              ? "killed by signal " + std::to_string(WTERMSIG(status))
                              : "exited with status " + std::to_string(WEXITSTATUS(status));
  return BaseRow(spec, p, "the point's process " + how + " (see " + p.id + "/log.txt)");
}

}  // namespace

void RunPointsInChildren(const SweepSpec& spec, const std::vector<const SweepPoint*>& todo,
                         std::vector<ModelRun>& runs, const fs::path& dir, unsigned jobs,
                         const std::function<void(const Row&)>& on_done) {
  std::map<pid_t, const SweepPoint*> running;
  std::size_t next = 0;
  const pid_t self = getpid();
  std::fflush(stdout);
  std::fflush(stderr);
  while (next < todo.size() || !running.empty()) {
    while (running.size() < jobs && next < todo.size()) {
      const SweepPoint& p = *todo[next++];
      const fs::path pdir = dir / "points" / p.id;
      fs::remove_all(pdir);  // what an interrupted run of this point left
      fs::create_directories(pdir);
      const pid_t pid = fork();
      Require(pid >= 0, "cannot start a worker process (fork failed)");
      if (pid == 0) ChildMain(spec, p, runs[ModelIndex(spec, p.model)], pdir, self);
      running[pid] = &p;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("waitpid failed");
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const SweepPoint& p = *it->second;
    running.erase(it);
    on_done(CollectRow(spec, p, dir / "points" / p.id, status));
  }
}

}  // namespace intvit::tools::sweep
