// `intvit`: one binary, one subcommand per job. Each subcommand lives in its own cmd_*.cc and
// registers itself through tools/commands.h.
//
// Exit codes (docs/cli.md): 0 done, 1 a check found a mismatch, 2 bad input or a usage error
// (one line "error: ..." on stderr), 3 only for a bug in intvit itself ("internal error: ...").
// Nothing a user can give (a file, a path, an option) may end in 3.
#include <CLI/CLI.hpp>
#include <exception>
#include <filesystem>
#include <ios>
#include <new>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "intvit_version.h"
#include "model/common/config_fields.h"
#include "model/common/error.h"
#include "tools/commands.h"

namespace {

// One line: CLI11 messages may span several.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

bool IsSubcommand(const CLI::App& app, const std::string& word) {
  for (const CLI::App* sub : Subcommands(app)) {
    if (sub->check_name(word)) return true;
  }
  return false;
}

// The subcommand names, for the message about an unknown one.
std::string SubcommandNames(const CLI::App& app) {
  std::string names;
  for (const CLI::App* sub : Subcommands(app)) names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"intvit: golden model, TLM model and RTL of an integer-only ViT accelerator"};
  app.set_version_flag("--version", intvit::kGenerator);
  app.require_subcommand(1);
  intvit::tools::RegisterAll(app);
  // Arguments (paths, model names, overrides) go into JSON reports, and JSON text is UTF-8: a
  // byte that is not is refused here, naming the argument, rather than deep in a writer.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    const std::size_t bad = intvit::config_detail::FirstInvalidUtf8(arg);
    if (bad != arg.size()) {
      std::cerr << "error: argument " << i << " is not valid UTF-8 text (byte " << bad
                << "); intvit writes its arguments into JSON reports, which must be UTF-8\n";
      return 2;
    }
  }
  // A first word that is not an option must name a subcommand.
  if (argc > 1 && argv[1][0] != '-' && !IsSubcommand(app, argv[1])) {
    std::cerr << "error: unknown subcommand '" << argv[1] << "' (known: " << SubcommandNames(app)
              << "; intvit --help lists them)\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; every real usage error is one line and exit 2.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "error: " << OneLine(e.what()) << " (--help lists the options)\n";
    return 2;
  }
  try {
    return intvit::tools::RunSelected(app);
  } catch (const intvit::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user gave that the OS refuses (permissions, a full disk): their input.
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::ios_base::failure& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory (an input too large for this machine?)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error (a bug in intvit; please report it): " << e.what() << "\n";
    return 3;
  }
}
