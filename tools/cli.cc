// The options of every subcommand (CLI11), bound to the structs of tools/command_args.h. The
// commands themselves live in cmd_*.cc, which do not include CLI11.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "model/common/error.h"
#include "tools/command_args.h"
#include "tools/commands.h"
#include "tools/input_image.h"
#include "tools/model_source.h"

namespace intvit::tools {
namespace {

// --image FILE and --image-seed S (excluding each other), for the subcommands that run a model.
void AddImageOptions(CLI::App& sub, std::string& image, std::uint64_t& seed) {
  auto* img = sub.add_option("--image", image, kImageArgHelp);
  sub.add_option("--image-seed", seed,
                 "seed of the input image when no --image is given (the one `intvit run "
                 "--seed` uses)")
      ->capture_default_str()
      ->excludes(img);
}

// --resize and --crop-pct (and --preprocess when `with_none`).
void AddPreprocessOptions(CLI::App& sub, PreprocessArgs& p, bool with_none) {
  if (with_none) {
    sub.add_option("--preprocess", p.preprocess, kPreprocessArgHelp)
        ->check(CLI::IsMember({"deit", "none"}))
        ->capture_default_str();
  }
  sub.add_option("--resize", p.resize, kResizeArgHelp)->check(CLI::IsMember({"bicubic", "bilinear"}));
  sub.add_option("--crop-pct", p.crop_pct, kCropPctArgHelp)->check(CLI::Range(0.0, 1.0));
}

}  // namespace

void RegisterCompile(CLI::App& app) {
  auto a = std::make_shared<CompileArgs>();
  auto* sub = app.add_subcommand("compile", "Compile a model for an arch config into a Program");
  sub->add_option("--model", a->model, kModelArgHelp)->capture_default_str();
  sub->add_option("--arch", a->arch, "arch config: a JSON file or a name in configs/arch")
      ->capture_default_str();
  sub->add_option("-p", a->overrides, "override an arch config field: key.path=value");
  sub->add_option("-o,--out", a->out, "output directory")->required();
  SetAction(sub, [a] { return RunCompile(*a); });
}

void RegisterExec(CLI::App& app) {
  auto a = std::make_shared<ExecArgs>();
  auto* sub = app.add_subcommand(
      "exec", "Run a compiled Program on the functional executor and check it bit for bit");
  sub->add_option("--model", a->model, kModelArgHelp)->capture_default_str();
  sub->add_option("--arch", a->arch, "arch config: a JSON file or a name in configs/arch")
      ->capture_default_str();
  sub->add_option("-p", a->overrides, "override an arch config field: key.path=value");
  AddImageOptions(*sub, a->image, a->image_seed);
  sub->add_option("--shuffle", a->shuffle_seed,
                  "run a random legal schedule with this seed (checks the dependency tokens)");
  sub->add_flag("-q,--quiet", a->quiet, "omit the per-layer lines");
  sub->add_flag("--fault", a->fault,
                "flip a bit of one DRAM tensor after the run (shows what a mismatch reports)");
  SetAction(sub, [a] { return RunExec(*a); });
}

void RegisterInfo(CLI::App& app) {
  auto a = std::make_shared<InfoArgs>();
  auto* sub = app.add_subcommand("info", "Describe an arch config or a model");
  sub->add_option("--arch", a->arch, "arch config: a JSON file or a name in configs/arch");
  sub->add_option("-p", a->overrides, "override an arch config field: key.path=value");
  sub->add_option("--model,model", a->model, kModelArgHelp);
  sub->add_flag("--area", a->area,
                "with --arch: print the area by component (RTL logic synthesized with yosys at "
                "the arch's parameters, cached; SRAM from the energy.table; docs/energy.md)");
  SetAction(sub, [a] { return RunInfo(*a); });
}

void RegisterOp(CLI::App& app) {
  auto* op = app.add_subcommand("op", "Run or check one intvit-vector-v1 case (docs/vectors.md)");
  op->require_subcommand(1);
  auto opts = std::make_shared<OpOptions>();
  const std::string case_help =
      "The case: a directory holding manifest.json, or the manifest file itself";
  const std::string impl_help =
      "The implementation that computes the op: golden, or rtl (the Verilated units: requant, "
      "linear, matmul, conv_patch, shiftmax, shiftgelu, layernorm; prints the RTL cycle count; "
      "a case beyond a unit's build limits, such as rows over MaxCols, exits 2)";
  const std::string wave_help = "With --impl rtl: write a VCD waveform of the unit to FILE";
  // Both subcommands take the case, the implementation and the waveform file.
  const auto case_options = [&](CLI::App* sub) {
    sub->add_option("--impl", opts->impl, impl_help)->capture_default_str();
    sub->add_option("--wave", opts->wave, wave_help);
  };

  auto* check = op->add_subcommand(
      "check",
      "Compute the case's outputs and compare them with the expected ones, bit for bit.\n"
      "Exit 0: all match. 1: some differ (count, first index, both values, max |diff|).\n"
      "2: the case is malformed (one line: error: <file>: <field>: <what>).\n"
      "Several cases (a directory searched for case folders, an index.json of `intvit vectors`,\n"
      "or several CASE arguments): one line per failing or malformed case, a summary per op,\n"
      "and the worst exit code (2 if any case is malformed, else 1 if any differs).");
  check
      ->add_option("CASE", opts->case_paths,
                   "A case (a directory holding manifest.json, or the manifest itself), a "
                   "directory searched recursively for cases, or an index.json of `intvit "
                   "vectors`; repeatable")
      ->required();
  case_options(check);
  check
      ->add_option("-j,--jobs", opts->jobs,
                   "With several cases: check this many in parallel threads (default 0: every "
                   "core; --impl rtl always uses one)")
      ->capture_default_str();
  SetAction(check, [opts] { return RunOpCheck(*opts); });

  auto* run = op->add_subcommand(
      "run",
      "Compute the case's outputs and write the case with them filled in to DIR.\n"
      "Declared outputs keep their dtype; others get the op's natural dtype.\n"
      "Tensors over 64 values go to <name>.hex files. Exit 0 written, 2 malformed case.");
  run->add_option("CASE", opts->case_path, case_help)->required();
  case_options(run);
  run->add_option("-o,--out", opts->out_dir, "The case directory to write (created if needed)")
      ->required();
  SetAction(run, [opts] { return RunOpRun(*opts); });
}

void RegisterRun(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* sub = app.add_subcommand("run", "Golden integer inference of a model on one image");
  sub->add_option("--model", a->model, kModelArgHelp)->required();
  auto* img = sub->add_option("--image", a->image, kImageArgHelp);
  sub->add_option("--seed", a->seed, "seed of the synthetic image when no --image is given")
      ->capture_default_str()
      ->excludes(img);
  sub->add_option("--trace-out", a->trace_out, "write every tensor of the GoldenTrace here");
  sub->add_option("--save-tensors", a->save_tensors,
                  "write every graph node's integer output to DIR as <node>.npy (NumPy)");
  sub->add_option("--save-logits", a->save_logits,
                  "write the integer logits to F.npy (int64, shape [classes], or [images, "
                  "classes] with --images)");
  auto* images = sub->add_option(
      "--images", a->images,
      "run every picture below DIR (sorted by path; an ImageFolder or a flat folder), one line "
      "each");
  images->excludes(img)->excludes("--seed")->excludes("--trace-out")->excludes("--save-tensors");
  AddPreprocessOptions(*sub, a->prep, true);
  sub->add_flag("--compare-float", a->compare_float,
                "per-layer cosine and max error of the integer model against float")
      ->excludes(images);
  sub->add_option("--repeat", a->repeat, "run this many times and report the mean time")
      ->check(CLI::Range(1, 1000))
      ->excludes(images);
  sub->add_flag("--profile", a->profile,
                "print the CPU ms/image per op type (requant split by input dtype)")
      ->excludes(images);
  SetAction(sub, [a] { return RunRun(*a); });
}

#ifdef INTVIT_WITH_SIM
// The options `sim` and `cosim` share.
void AddSimOptions(CLI::App& sub, SimArgs& a) {
  sub.add_option("--model", a.model, kModelArgHelp)->capture_default_str();
  sub.add_option("--arch", a.arch, "arch config: a JSON file or a name in configs/arch")
      ->capture_default_str();
  sub.add_option("-p", a.overrides,
                 "override an arch config field: key.path=value (e.g. array.rows=32); "
                 "impl.<unit>=rtl runs that unit on its RTL (co-simulation)");
  sub.add_option("--out", a.out, "output folder (default out/<model>_<arch>[+<hash of the -p overrides>]_<timing>)");
  sub.add_flag("--trace", a.trace, "write trace.json (Chrome trace events; open in Perfetto)");
  AddImageOptions(sub, a.image, a.image_seed);
  sub.add_option("--quantum", a.quantum_cycles,
                 "TLM global quantum in cycles (how far a DMA queue runs ahead of time)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
      ->capture_default_str();
  sub.add_flag("-q,--quiet", a.quiet, "no progress line");
  sub.add_flag("--area", a.area,
               "also estimate the arch's area (yosys on the RTL at its parameters, cached) and "
               "add it to stats.json as \"area\" (docs/energy.md)");
  sub.add_option("--inject-fault", a.fault_instr,
                 "test hook: flip a bit of what compute instruction INDEX writes (the bit "
                 "check must then fail)")
      ->group("");  // hidden
}

void RegisterSim(CLI::App& app) {
  auto a = std::make_shared<SimArgs>();
  auto* sub = app.add_subcommand(
      "sim",
      "Simulate a compiled model on the SystemC TLM model: cycles, utilization, traffic, "
      "bit-exact check");
  AddSimOptions(*sub, *a);
  sub->add_option("--timing", a->timing,
                  "detailed (this accelerator, docs/timing.md) or scalesim (SCALE-Sim v2's "
                  "compute-only GEMM cycles)")
      ->check(CLI::IsMember({"detailed", "scalesim"}))
      ->capture_default_str();
  sub->add_flag("--plots", a->plots,
                "also draw <out>/plots/layers.{png,svg} (busy cycles per layer by unit) and "
                "timeline.{png,svg} (unit Gantt chart; implies --trace); needs "
                "python3-matplotlib");
  SetAction(sub, [a] { return RunSim(*a); });

  auto c = std::make_shared<SimArgs>();
  c->cosim = true;
  c->rtl = "all";
  auto* co = app.add_subcommand(
      "cosim",
      "Co-simulate: the TLM model with compute units on their Verilated RTL; every RTL result "
      "checked against the executor, every DRAM tensor against the golden model; TLM vs RTL "
      "cycles per unit and layer (cosim.json)");
  AddSimOptions(*co, *c);
  co->add_option("--rtl", c->rtl,
                 "units on RTL: all, or a list of array, requant, shiftmax, gelu, layernorm, add")
      ->capture_default_str();
  co->add_option("--wave", c->waves,
                 "write <out>/<UNIT>.vcd for that unit, optionally only cycles FROM-TO: "
                 "UNIT[:FROM-TO] (repeatable)");
  SetAction(co, [c] { return RunSim(*c); });
}

void RegisterSweep(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  auto* sub = app.add_subcommand(
      "sweep",
      "Run every design point of a sweep spec (docs/sweep.md) as a bit-checked TLM run; rows\n"
      "appended per point to DIR/results.csv and DIR/results.jsonl, each point's reports in\n"
      "DIR/points/<id>/. Exit 0 done, 1 a point was not bit-exact, 2 bad input.");
  sub->require_subcommand(0, 1);
  sub->add_option("SPEC", a->spec, "the sweep spec (JSON; configs/sweeps/ has examples)");
  sub->add_option("-o,--out", a->out,
                  "results folder (default out/sweeps/<spec name>_<spec hash>[_shard-I-of-N]); "
                  "must be new or empty unless --resume");
  sub->add_option("-j,--jobs", a->jobs, "points run at once, one process each (0: every core)")
      ->capture_default_str();
  sub->add_flag("--resume", a->resume,
                "finish the sweep in -o: run only the points without a result row (the folder "
                "must hold the same spec and shard)");
  sub->add_option("--shard", a->shard,
                  "run only shard I of N (0 <= I < N): the points whose index is I modulo N");
  sub->add_option("--emit-slurm", a->emit_slurm,
                  "write DIR/sweep.sbatch (a Slurm job array, one task per shard) and "
                  "DIR/merge.sh instead of running");
  sub->add_option("--shards", a->shards,
                  "with --emit-slurm: array tasks (default 0: one per point, at most 1000)")
      ->capture_default_str();
  sub->add_flag("-q,--quiet", a->quiet, "no progress and no summary");
  SetAction(sub, [a] {
    Require(!a->spec.empty(), "sweep: give a SPEC (or `sweep merge DIR... -o OUT`)");
    return RunSweep(*a);
  });

  auto m = std::make_shared<SweepMergeArgs>();
  auto* merge = sub->add_subcommand(
      "merge",
      "Merge the result folders of shards of one spec into one result set (dup and missing "
      "points reported)");
  merge->add_option("DIR", m->dirs, "shard result folders")->required();
  merge->add_option("-o,--out", m->out, "the merged results folder (new or empty)")->required();
  SetAction(merge, [m] { return RunSweepMerge(*m); });
}
#endif

void RegisterSynth(CLI::App& app) {
  auto a = std::make_shared<SynthArgs>();
  auto* sub = app.add_subcommand(
      "synth", "Make a quantized ViT: seeded float weights, PTQ calibration, I-ViT quantization");
  auto* preset =
      sub->add_option("--preset", a->arch,
                      "model preset: deit-tiny, deit-small, deit-base, vit-tiny-test")
          ->capture_default_str();
  // Everywhere else --arch is the accelerator; here it once named the model preset. Kept as a
  // hidden alias so old scripts run, with a note that says what to write instead.
  sub->add_option("--arch", a->arch, "deprecated alias of --preset")
      ->group("")
      ->excludes(preset)
      ->each([](const std::string&) {
        std::cerr << "note: `intvit synth --arch` is deprecated; use --preset (--arch names the "
                     "accelerator config in every other command)\n";
      });
  sub->add_option("-p", a->overrides,
                  "override a model config field, e.g. -p depth=2 (see intvit info --model)");
  sub->add_option("--seed", a->seed, "seed of weights and calibration images")->capture_default_str();
  sub->add_option("--calib-images", a->calib_images, "calibration images")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  sub->add_option("-o,--out", a->out, "output model file (.safetensors)")->required();
  sub->add_option("--save-float", a->save_float,
                  "also write the seeded float ViT to F.safetensors in timm's layout (with its "
                  "config.json as metadata), the input of `intvit quantize`");
  sub->add_flag("-q,--quiet", a->quiet, "no progress line");
  SetAction(sub, [a] { return RunSynth(*a); });
}

void RegisterPlot(CLI::App& app) {
  auto a = std::make_shared<PlotArgs>();
  auto* sub = app.add_subcommand(
      "plot",
      "Draw the figures (PNG and SVG in DIR/plots) and the report page (DIR/index.html) of a "
      "results folder of `intvit sweep`; needs python3-matplotlib");
  sub->add_option("DIR", a->dir, "the results folder (holding results.csv)")->required();
  sub->add_option("--points", a->points,
                  "comma-separated point ids that get per-layer and roofline figures (default: "
                  "the points on the Pareto fronts)");
  SetAction(sub, [a] { return RunPlot(*a); });
}

void RegisterQuantize(CLI::App& app) {
  auto a = std::make_shared<QuantizeArgs>();
  auto* sub = app.add_subcommand(
      "quantize",
      "Post-training quantization (I-ViT's) of a float ViT/DeiT in timm's layout, calibrated on "
      "real pictures");
  sub->add_option("--float", a->float_path,
                  "float checkpoint: safetensors with timm VisionTransformer tensor names (F32)")
      ->required();
  sub->add_option("--config", a->config,
                  "timm's config.json (architecture, model_args, num_classes, pretrained_cfg); "
                  "default: the checkpoint's \"config\" metadata, else the tensors alone");
  sub->add_option("--calib", a->calib,
                  "folder of calibration pictures (PNG, JPEG, PPM, PGM), searched recursively")
      ->required();
  sub->add_option("--calib-count", a->calib_count,
                  "calibration images, spread evenly over the folder's sorted files")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000}))
      ->capture_default_str();
  sub->add_option("-j,--jobs", a->jobs,
                  "threads for the calibration images (0: every core; the result is the same)")
      ->capture_default_str();
  AddPreprocessOptions(*sub, a->prep, false);
  sub->add_option("-o,--out", a->out, "output model file (.safetensors)")->required();
  SetAction(sub, [a] { return RunQuantize(*a); });
}

void RegisterEval(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  auto* sub = app.add_subcommand(
      "eval", "Top-1/top-5 accuracy of the integer model on an ImageFolder (root/<class>/<image>)");
  sub->add_option("--model", a->model, kModelArgHelp)->required();
  sub->add_option("--data", a->data,
                  "labelled pictures: one folder per class, classes sorted by name")
      ->required();
  sub->add_option("--float", a->float_path,
                  "also the float checkpoint's accuracy on the same images, and the agreement "
                  "(same top-1)");
  sub->add_option("--config", a->config, "timm's config.json for --float");
  sub->add_option("--limit", a->limit,
                  "evaluate this many images, spread evenly over the sorted files (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("-j,--jobs", a->jobs, "threads (0: every core; the result is the same)")
      ->capture_default_str();
  AddPreprocessOptions(*sub, a->prep, false);
  sub->add_option("-o,--out", a->out, "output folder of eval.json (default out/eval_<model>)");
  SetAction(sub, [a] { return RunEval(*a); });
}

void RegisterVectors(CLI::App& app) {
  auto a = std::make_shared<VectorsArgs>();
  auto* sub = app.add_subcommand(
      "vectors",
      "Cut intvit-vector-v1 cases from a golden run: whole ops per layer and tiles shaped for\n"
      "the units (GEMM folds of array.rows x array.cols over K; requant rows x lanes; row\n"
      "blocks of whole rows for shiftmax, shiftgelu, layernorm). Every case passes\n"
      "`intvit op check`. Writes DIR/<layer>/whole, DIR/<layer>/tiles/<tile>, index.json and\n"
      "index.csv (docs/vectors.md). Exit 0 written, 2 bad input or over a limit.");
  sub->add_option("--model", a->model, kModelArgHelp)->required();
  sub->add_option("--arch", a->arch,
                  "arch config for the tile shapes: a JSON file or a name in "
                  "configs/arch")
      ->capture_default_str();
  sub->add_option("-p", a->overrides, "override an arch config field: key.path=value");
  sub->add_option("--layer", a->layers,
                  "graph node(s) to cut: a name (blocks.3.attn.int_softmax.h0), a prefix ending "
                  "at a dot (blocks.3, blocks.3.attn.int_softmax = every head), a glob "
                  "(blocks.*.mlp.fc1), or all; repeat or separate with commas")
      ->delimiter(',')
      ->capture_default_str();
  sub->add_option("--op", a->ops,
                  "v1 op(s) to cut: requant, shiftmax, shiftgelu, layernorm, linear, matmul, "
                  "conv_patch, or all; repeat or separate with commas")
      ->delimiter(',')
      ->capture_default_str();
  auto* whole = sub->add_flag("--whole", a->whole_only, "only whole-op cases (default: both)");
  sub->add_flag("--tiles", a->tiles_only, "only tile cases (default: both)")->excludes(whole);
  sub->add_option("--tile-rows", a->tile_rows,
                  "rows per tile; 0: all M rows for GEMM folds, the unit's lanes for the others")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 20))
      ->capture_default_str();
  AddImageOptions(*sub, a->image, a->image_seed);
  sub->add_option("--max-cases", a->max_cases,
                  "refuse (exit 2, nothing written) to write more cases than this; 0: no limit")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--max-mb", a->max_mb,
                  "refuse to write more than this many MB (estimated: hex files plus 1.5 kB per "
                  "manifest); 0: no limit")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_flag("--list", a->list,
                "print the selected nodes with their op, shape, tile count and size; write "
                "nothing");
  sub->add_flag("-q,--quiet", a->quiet, "no summary or progress lines");
  sub->add_option("-o,--out", a->out_dir, "output directory (created if needed)");
  SetAction(sub, [a] { return RunVectors(*a); });
}

}  // namespace intvit::tools
