// `intvit`: one binary, one subcommand per job. Each subcommand lives in its own cmd_*.cc and
// registers itself through tools/commands.h.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "intvit_version.h"
#include "model/common/error.h"
#include "tools/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"intvit: golden model, TLM model and RTL of an integer-only ViT accelerator"};
  app.set_version_flag("--version", intvit::kGenerator);
  app.require_subcommand(1);
  intvit::tools::RegisterAll(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports usage errors with its own exit codes; map every real error to 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    return intvit::tools::RunSelected(app);
  } catch (const intvit::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  }
}
