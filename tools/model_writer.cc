#include "tools/model_writer.h"

#include <filesystem>
#include <iostream>

#include "model/graph/vit_builder.h"

namespace intvit::tools {

void WriteModelAndReport(const std::string& path, const model::ModelFile& f,
                         const std::string& how, double seconds) {
  model::WriteModelFile(path, f);
  const model::Graph g = model::BuildVitGraph(f.config, f.params);
  std::cout << "wrote " << path << " (" << std::filesystem::file_size(path) / 1024 << " KiB): "
            << g.nodes.size() << " nodes, " << g.TotalMacs() / 1000000 << " M MACs/image; "
            << how << " in " << seconds << " s\n";
}

}  // namespace intvit::tools
