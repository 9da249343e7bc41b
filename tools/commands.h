// Registration of the CLI's subcommands. tools/cli.cc defines the Register* functions, each adding
// one subcommand and a callback into cmd_*.cc; RunSelected runs the callback of the chosen one.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace intvit::tools {

// A subcommand's action; returns the process exit code.
using Action = std::function<int()>;

// Binds an action to a subcommand (stored in a registry keyed by the CLI11 app pointer).
void SetAction(CLI::App* sub, Action action);

void RegisterAll(CLI::App& app);
int RunSelected(CLI::App& app);

// One per subcommand file.
void RegisterOp(CLI::App& app);
void RegisterCompile(CLI::App& app);
void RegisterExec(CLI::App& app);
void RegisterInfo(CLI::App& app);
void RegisterSynth(CLI::App& app);
void RegisterQuantize(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterRun(CLI::App& app);
void RegisterVectors(CLI::App& app);
void RegisterPlot(CLI::App& app);
void RegisterSim(CLI::App& app);             // only in builds with the SystemC model
void RegisterSweep(CLI::App& app);           // likewise
void RegisterSimUnavailable(CLI::App& app);  // golden-only builds: `sim` exits 2 with a reason

}  // namespace intvit::tools
