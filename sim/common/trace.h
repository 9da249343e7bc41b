// TraceWriter: Chrome trace-event JSON (trace.json) that opens in Perfetto or chrome://tracing.
// One process ("intvit accelerator"), one track (thread) per unit and DMA queue; each executed
// instruction is a complete ("X") event. Times are stored in cycles and written in
// microseconds at the configured clock. Disabled writers record nothing and cost a branch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace intvit::sim {

class TraceWriter {
 public:
  TraceWriter(bool enabled, std::int64_t clock_mhz) : enabled_(enabled), mhz_(clock_mhz) {}

  bool enabled() const { return enabled_; }
  // Adds a named track and returns its id; tracks show in the order they were added.
  int Track(const std::string& name);
  // An event of `dur_cycles` starting at `start_cycle` on `track`. `args` is a JSON object
  // body without braces (e.g. "\"index\":12,\"layer\":\"blocks.0.attn.qkv\""), or empty.
  void Complete(int track, std::string name, std::int64_t start_cycle, std::int64_t dur_cycles,
                std::string args = {});

  std::size_t size() const { return events_.size(); }
  // The whole trace as JSON text.
  std::string ToJson() const;
  void Write(const std::string& path) const;  // throws InputError if the file cannot be written

 private:
  struct Event {
    int track;
    std::int64_t start, dur;
    std::string name, args;
  };
  bool enabled_;
  std::int64_t mhz_;
  std::vector<std::string> tracks_;
  std::vector<Event> events_;
};

// Escapes `s` for a JSON string literal (without the quotes).
std::string JsonEscape(const std::string& s);

}  // namespace intvit::sim
