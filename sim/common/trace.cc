#include "sim/common/trace.h"

#include <cstdio>
#include <fstream>

#include "model/common/atomic_file.h"
#include "model/common/error.h"

namespace intvit::sim {

int TraceWriter::Track(const std::string& name) {
  tracks_.push_back(name);
  return static_cast<int>(tracks_.size()) - 1;
}

void TraceWriter::Complete(int track, std::string name, std::int64_t start_cycle,
                           std::int64_t dur_cycles, std::string args) {
  if (!enabled_) return;
  events_.push_back({track, start_cycle, dur_cycles, std::move(name), std::move(args)});
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace {
// Cycles to microseconds at `mhz`, printed with enough digits for one cycle at 1 GHz+.
std::string Micros(std::int64_t cycles, std::int64_t mhz) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(cycles) / static_cast<double>(mhz));
  return buf;
}
}  // namespace

std::string TraceWriter::ToJson() const {
  std::string out;
  out.reserve(200 * (events_.size() + tracks_.size()) + 256);
  out += "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock_mhz\":" + std::to_string(mhz_) +
         ",\"time_unit\":\"us at the configured clock\"},\"traceEvents\":[\n";
  out +=
      "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"intvit "
      "accelerator\"}}";
  for (std::size_t t = 0; t < tracks_.size(); ++t) {
    const std::string tid = std::to_string(t + 1);
    out += ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" + tid +
           ",\"args\":{\"name\":\"" + JsonEscape(tracks_[t]) + "\"}}";
    out += ",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":" + tid +
           ",\"args\":{\"sort_index\":" + tid + "}}";
  }
  for (const Event& e : events_) {
    out += ",\n{\"name\":\"";
    out += JsonEscape(e.name);
    out += "\",\"ph\":\"X\",\"pid\":1,\"tid\":";
    out += std::to_string(e.track + 1);
    out += ",\"ts\":";
    out += Micros(e.start, mhz_);
    out += ",\"dur\":";
    out += Micros(e.dur, mhz_);
    out += ",\"args\":{\"start_cycle\":";
    out += std::to_string(e.start);
    out += ",\"cycles\":";
    out += std::to_string(e.dur);
    if (!e.args.empty()) {
      out += ',';
      out += e.args;
    }
    out += "}}";
  }
  out += "\n]}\n";
  return out;
}

void TraceWriter::Write(const std::string& path) const {
  WriteFileAtomically(path, ToJson());
}

}  // namespace intvit::sim
