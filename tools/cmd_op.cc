// `intvit op run|check`: placeholder until the vector reader lands.
#include "tools/commands.h"

namespace intvit::tools {
void RegisterOp(CLI::App& app) {
  auto* op = app.add_subcommand("op", "Run or check one intvit-vector-v1 case");
  op->require_subcommand(1);
}
}  // namespace intvit::tools
