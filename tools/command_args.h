// The arguments and entry point of every subcommand, free of CLI11: tools/cli.cc registers the
// options into these structs (the only TU besides main.cc and commands.cc that includes CLI11,
// whose header costs about 12 s of compile time per TU under ASan), and each cmd_*.cc runs one.
// Every Run* returns the process exit code: 0 done, 1 a check found a mismatch, 2 bad input
// (thrown as InputError and printed by main.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/quant/synthesize.h"  // kDefaultCalibrationImages

namespace intvit::tools {

struct CompileArgs {
  std::string model = "random:deit-tiny:1";
  std::string arch = "base16";
  std::vector<std::string> overrides;
  std::string out;
};

struct ExecArgs {
  std::string model = "random:deit-tiny:1";
  std::string arch = "base16";
  std::vector<std::string> overrides;
  std::string image;  // --image FILE
  std::uint64_t image_seed = 1;
  std::int64_t shuffle_seed = -1;
  bool quiet = false;
  bool fault = false;
};

struct InfoArgs {
  std::string arch;
  std::vector<std::string> overrides;
  std::string model;
  bool area = false;  // --area: the arch's area by component (yosys, docs/energy.md)
};

struct OpOptions {
  std::string case_path;                // op run: the one case
  std::vector<std::string> case_paths;  // op check: cases, directories to search, index.json
  unsigned jobs = 0;                    // op check --jobs: threads; 0 is every core
  std::string out_dir;
  std::string impl = "golden";
  std::string wave;  // --wave FILE (rtl only)
};

// The options --preprocess, --resize and --crop-pct (run, eval, quantize; tools/input_image.h).
struct PreprocessArgs {
  std::string preprocess = "deit";  // deit: resize and crop; none: used as it is
  std::string resize;               // bicubic | bilinear; empty: the model's
  double crop_pct = 0;              // 0: the model's
};

struct RunArgs {
  std::string model;
  std::string image;
  std::string images;  // --images DIR: every picture below DIR, logits [images, classes]
  std::uint64_t seed = 1;
  std::string trace_out;
  std::string save_tensors;  // --save-tensors DIR: every node's output as <node>.npy
  std::string save_logits;   // --save-logits F.npy: int64 [classes], or [images, classes]
  PreprocessArgs prep;
  bool compare_float = false;
  int repeat = 1;
  bool profile = false;
};

struct SimArgs {
  std::string model = "random:deit-tiny:1";
  std::string arch = "base16";
  std::string timing = "detailed";
  std::vector<std::string> overrides;
  std::string out;
  bool trace = false;
  std::string image;  // --image FILE
  std::uint64_t image_seed = 1;
  std::int64_t quantum_cycles = 100;
  bool quiet = false;
  bool plots = false;  // --plots: <out>/plots/layers.* and timeline.* (needs the trace)
  std::int64_t fault_instr = -1;
  // Co-simulation (`intvit cosim`, or any `-p impl.<unit>=rtl`): the units to run on their RTL
  // ("all" or "array,gelu"; added to the impl.* of the arch), and waveforms, "UNIT[:FROM-TO]".
  bool cosim = false;
  std::string rtl;
  std::vector<std::string> waves;
  bool area = false;  // --area: add the arch's area to stats.json (yosys, docs/energy.md)
};

struct QuantizeArgs {
  std::string float_path;  // --float F.safetensors (timm layout)
  std::string config;      // --config config.json
  std::string calib;       // --calib DIR
  std::int64_t calib_count = 32;
  unsigned jobs = 0;  // 0: every core
  PreprocessArgs prep;
  std::string out;
};

struct EvalArgs {
  std::string model;
  std::string data;
  std::string float_path;  // --float: also the float model's accuracy, and the agreement
  std::string config;      // --config for --float
  std::int64_t limit = 0;  // 0: every image
  unsigned jobs = 0;       // 0: every core
  PreprocessArgs prep;
  std::string out;  // the folder of eval.json
};

// `intvit sweep` (docs/sweep.md).
struct SweepArgs {
  std::string spec;
  std::string out;    // -o: default out/sweeps/<spec name>_<spec hash>[_shard-I-of-N]
  unsigned jobs = 0;  // 0: every core
  bool resume = false;
  std::string shard;       // "I/N"; empty: every point
  std::string emit_slurm;  // a folder: write the Slurm job-array script there instead of running
  int shards = 0;          // --shards: array tasks of the script; 0: one per point (at most 1000)
  bool quiet = false;
};

struct SweepMergeArgs {
  std::vector<std::string> dirs;
  std::string out;
};

struct SynthArgs {
  std::string arch = "deit-tiny";
  std::string config_json;
  std::vector<std::string> overrides;
  std::uint64_t seed = 1;
  int calib_images = model::kDefaultCalibrationImages;
  std::string out;
  std::string save_float;  // --save-float F.safetensors: the seeded float ViT in timm's layout
  bool quiet = false;
};

struct VectorsArgs {
  std::string model;
  std::string arch = "base16";
  std::vector<std::string> overrides;
  std::vector<std::string> layers = {"all"};
  std::vector<std::string> ops = {"all"};
  bool whole_only = false;
  bool tiles_only = false;
  std::int64_t tile_rows = 0;
  std::string image;  // --image FILE
  std::uint64_t image_seed = 1;
  std::int64_t max_cases = 1000;
  std::int64_t max_mb = 512;
  bool list = false;
  bool quiet = false;
  std::string out_dir;
};

struct PlotArgs {
  std::string dir;     // a results folder of `intvit sweep`
  std::string points;  // --points: ids for the per-layer figures; empty: the Pareto points
};

int RunOpCheck(const OpOptions& o);
int RunOpRun(const OpOptions& o);
int RunCompile(const CompileArgs& a);
int RunExec(const ExecArgs& a);
int RunInfo(const InfoArgs& a);
int RunPlot(const PlotArgs& a);
int RunRun(const RunArgs& a);
int RunSim(const SimArgs& a);                // only in builds with the SystemC model
int RunSweep(const SweepArgs& a);            // only in builds with the SystemC model
int RunSweepMerge(const SweepMergeArgs& a);  // likewise
int RunSynth(const SynthArgs& a);
int RunQuantize(const QuantizeArgs& a);
int RunEval(const EvalArgs& a);
int RunVectors(const VectorsArgs& a);

}  // namespace intvit::tools
