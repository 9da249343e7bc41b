#include "tools/commands.h"

#include <iostream>
#include <map>

namespace intvit::tools {
namespace {
std::map<const CLI::App*, Action>& Registry() {
  static std::map<const CLI::App*, Action> registry;
  return registry;
}
}  // namespace

void SetAction(CLI::App* sub, Action action) { Registry()[sub] = std::move(action); }

void RegisterAll(CLI::App& app) {
  RegisterOp(app);
  RegisterCompile(app);
  RegisterExec(app);
  RegisterInfo(app);
  RegisterSynth(app);
  RegisterQuantize(app);
  RegisterEval(app);
  RegisterRun(app);
  RegisterVectors(app);
  RegisterPlot(app);
#ifdef INTVIT_WITH_SIM
  RegisterSim(app);
  RegisterSweep(app);
#else
  RegisterSimUnavailable(app);
#endif
}

#ifndef INTVIT_WITH_SIM
// A golden-only build still knows the word `sim`, so a user gets a reason, not a usage error.
void RegisterSimUnavailable(CLI::App& app) {
  for (const char* name : {"sim", "cosim", "sweep"}) {
    auto* sub =
        app.add_subcommand(name, "(not in this build: configured with INTVIT_GOLDEN_ONLY)");
    sub->allow_extras();
    sub->set_help_flag();
    SetAction(sub, [name] {
      std::cerr << "error: this intvit was built without the SystemC model "
                   "(INTVIT_GOLDEN_ONLY=ON); rebuild with ./run.sh build to use `intvit "
                << name << "`\n";
      return 2;
    });
  }
}
#endif

int RunSelected(CLI::App& app) {
  // Walk down to the deepest selected subcommand that has an action.
  const CLI::App* node = &app;
  Action found;
  while (true) {
    auto it = Registry().find(node);
    if (it != Registry().end()) found = it->second;
    auto subs = node->get_subcommands();
    if (subs.empty()) break;
    node = subs.front();
  }
  if (!found) return 2;
  return found();
}

}  // namespace intvit::tools
