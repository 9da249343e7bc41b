// `intvit compile`: Graph + ArchConfig -> program.bin, program.asm, memory_map.json.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/compile.h"
#include "compiler/isa/codec.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "tools/command_args.h"
#include "tools/output_dir.h"
#include "tools/model_source.h"
#include "tools/stopwatch.h"

namespace intvit::tools {
namespace {

void WriteText(const std::filesystem::path& path, const std::string& text) {
  WriteFileAtomically(path, text);
}

}  // namespace

int RunCompile(const CompileArgs& a) {
  PrepareOutputDir(a.out, "-o");
  const LoadedModel m = LoadModelArg(a.model);
  const compiler::ArchConfig arch = compiler::LoadArchConfig(a.arch, a.overrides);
  const Stopwatch sw;
  const compiler::Program p = compiler::Compile(m.graph, arch, m.name);
  const double ms = sw.WallMs(), cpu = sw.CpuMs();
  const std::filesystem::path dir(a.out);
  isa::WriteProgramFile((dir / "program.bin").string(), p.instrs);
  WriteText(dir / "program.asm", compiler::ProgramListing(p));
  WriteText(dir / "memory_map.json", compiler::MemoryMapJson(p).dump(1) + "\n");
  WriteText(dir / "effective_config.json",
            nlohmann::json{{"arch", compiler::ArchConfigToJson(arch)}, {"model", a.model}}.dump(2) +
                "\n");
  WriteFileAtomically(dir / "dram_image.bin",
                      std::string_view(reinterpret_cast<const char*>(p.dram_image.data()),
                                       p.dram_image.size()));
  std::cout << compiler::ProgramSummary(p);
  std::printf("  compiled in %.1f ms (cpu %.1f ms); wrote %s/{program.bin, program.asm, memory_map.json, "
              "dram_image.bin, effective_config.json}\n",
              ms, cpu, dir.string().c_str());
  return 0;
}

}  // namespace intvit::tools
