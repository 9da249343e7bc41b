// `intvit info`: the resolved arch config (every field, its value and its description), or a
// model's config and size.
#include <iostream>

#include "compiler/arch_config.h"
#include "model/common/error.h"
#include "tools/commands.h"
#include "tools/model_source.h"

namespace intvit::tools {
namespace {

struct InfoArgs {
  std::string arch;
  std::vector<std::string> overrides;
  std::string model;
};

int RunInfo(const InfoArgs& a) {
  Require(!a.arch.empty() || !a.model.empty(), "info: give --arch and/or --model");
  if (!a.arch.empty()) {
    const compiler::ArchConfig c = compiler::LoadArchConfig(a.arch, a.overrides);
    std::cout << "arch config " << c.name << " (" << compiler::ResolveArchConfigPath(a.arch)
              << ")\n"
              << DescribeConfig(c, compiler::ArchConfigFields());
    if (c.DataflowIsScalesimOnly()) {
      std::cout << "note: dataflow 'is' is modelled only by the scalesim timing mode\n";
    }
  }
  if (!a.model.empty()) {
    const LoadedModel m = LoadModelArg(a.model);
    std::cout << "model " << m.name << ": " << m.graph.nodes.size() << " nodes, "
              << m.graph.TotalMacs() << " MACs\n"
              << DescribeConfig(m.graph.config, model::ModelConfigFields());
  }
  return 0;
}

}  // namespace

void RegisterInfo(CLI::App& app) {
  auto a = std::make_shared<InfoArgs>();
  auto* sub = app.add_subcommand("info", "Describe an arch config or a model");
  sub->add_option("--arch", a->arch, "arch config: a JSON file or a name in configs/arch");
  sub->add_option("-p", a->overrides, "override an arch config field: key.path=value");
  sub->add_option("--model", a->model, kModelArgHelp);
  SetAction(sub, [a] { return RunInfo(*a); });
}

}  // namespace intvit::tools
