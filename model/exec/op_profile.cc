#include "model/exec/op_profile.h"

#include <ctime>
#include <algorithm>
#include <sstream>
#include <vector>

namespace intvit::model {

std::int64_t OpProfile::ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

std::string OpProfile::Key(const Graph& g, const Node& n, const Tensor* first_input) {
  (void)g;
  std::string key(OpKindName(n.kind));
  if (n.kind == OpKind::kRequant && first_input != nullptr) {
    key += ".";
    key += DTypeName(first_input->dtype());
  }
  return key;
}

namespace {

// ns / images as "12.34" ms, computed in integers like everything under model/exec.
std::string MsPerImage(std::int64_t ns, std::int64_t images) {
  const std::int64_t centi_ms = (ns / (images > 0 ? images : 1) + 5000) / 10000;
  std::string frac = std::to_string(centi_ms % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return std::to_string(centi_ms / 100) + "." + frac;
}

std::string Pad(std::string s, std::size_t width, bool left) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

}  // namespace

std::string OpProfile::Format() const {
  std::int64_t total = 0;
  for (const auto& [k, t] : by_op) total += t.cpu_ns;
  std::vector<std::pair<std::string, OpTime>> rows(by_op.begin(), by_op.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second.cpu_ns > b.second.cpu_ns; });
  std::ostringstream os;
  const std::int64_t img = images > 0 ? images : 1;
  os << Pad("op", 20, true) << Pad("nodes/img", 10, false) << Pad("ms/img", 10, false)
     << Pad("share", 8, false) << "\n";
  for (const auto& [k, t] : rows) {
    const std::int64_t pct = total > 0 ? (t.cpu_ns * 100 + total / 2) / total : 0;
    os << Pad(k, 20, true) << Pad(std::to_string(t.nodes / img), 10, false)
       << Pad(MsPerImage(t.cpu_ns, images), 10, false) << Pad(std::to_string(pct) + " %", 8, false)
       << "\n";
  }
  os << Pad("total", 20, true) << Pad("", 10, false) << Pad(MsPerImage(total, images), 10, false)
     << "\n";
  return os.str();
}

}  // namespace intvit::model
