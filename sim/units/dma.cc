#include "sim/units/dma.h"

#include <algorithm>

#include "model/common/error.h"

namespace intvit::sim {
namespace {
std::string SocketName(isa::Unit u, const std::string& dst) {
  const bool load = u == isa::Unit::kLoad;
  return std::string(isa::UnitName(u)) + "2" + dst + (load == (dst == "dram") ? "_rd" : "_wr");
}
}  // namespace

Dma::Dma(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx)
    : QueuedUnit(name, unit, ctx),
      dram(SocketName(unit, "dram").c_str()),
      sram("sram", isa::kNumBuffers,
           [unit](const char*, std::size_t b) {
             return new Socket(
                 SocketName(unit, std::string(isa::BufferName(static_cast<isa::Buffer>(b))))
                     .c_str());
           }),
      load_(unit == isa::Unit::kLoad),
      staging_(static_cast<std::size_t>(ctx.arch.dma_max_burst_bytes)),
      bytes_(ctx.stats.Counter("units." + unit_name() + ".bytes",
                               load_ ? "bytes loaded from DRAM" : "bytes stored to DRAM")),
      bursts_(ctx.stats.Counter("units." + unit_name() + ".bursts", "DRAM bursts issued")) {}

std::string Dma::TraceArgs(const isa::Instr& in) const {
  return "\"bytes\":" + std::to_string(in.rows * in.cols) + ",\"buffer\":\"" +
         std::string(isa::BufferName(static_cast<isa::Buffer>(load_ ? in.dst_buf : in.src0_buf))) +
         "\"";
}

void Dma::Transport(Socket& s, tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t bytes,
                    sc_core::sc_time& delay, std::size_t index, const char* what) {
  tlm::tlm_generic_payload p;
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(staging_.data());
  p.set_data_length(static_cast<unsigned>(bytes));
  p.set_streaming_width(static_cast<unsigned>(bytes));
  p.set_byte_enable_ptr(nullptr);
  p.set_dmi_allowed(false);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  s->b_transport(p, delay);
  if (p.is_response_error()) {
    throw InputError("instruction " + std::to_string(index) + " (" + unit_name() + "): " + what +
                     " bytes [" + std::to_string(addr) + ", " + std::to_string(addr + bytes) +
                     "): " + p.get_response_string());
  }
}

std::int64_t Dma::Execute(const isa::Instr& in, std::size_t index) {
  const auto buf = static_cast<isa::Buffer>(load_ ? in.dst_buf : in.src0_buf);
  Socket& sram_socket = sram[static_cast<std::size_t>(buf)];
  const std::string sram_what = std::string(isa::BufferName(buf)) + " SRAM";
  const Clock& clk = ctx_.clock;
  const auto depth = static_cast<std::size_t>(ctx_.arch.dma_queue_depth);
  inflight_.clear();
  qk_.reset();
  std::int64_t issue = clk.Now();
  std::int64_t last = issue;
  ForEachBurst(in, ctx_.arch.dma_max_burst_bytes, [&](const Burst& b) {
    if (inflight_.size() >= depth) issue = std::max(issue, inflight_[inflight_.size() - depth]);
    // Times are absolute cycles; b_transport and the quantum keeper take offsets from now.
    const std::int64_t now = clk.Now();
    sc_core::sc_time delay = clk.Cycles(issue - now);
    if (load_) {
      Transport(dram, tlm::TLM_READ_COMMAND, b.dram_addr, b.bytes, delay, index, "DRAM");
      Transport(sram_socket, tlm::TLM_WRITE_COMMAND, b.sram_addr, b.bytes, delay, index,
                sram_what.c_str());
    } else {
      Transport(sram_socket, tlm::TLM_READ_COMMAND, b.sram_addr, b.bytes, delay, index,
                sram_what.c_str());
      Transport(dram, tlm::TLM_WRITE_COMMAND, b.dram_addr, b.bytes, delay, index, "DRAM");
    }
    const std::int64_t done = now + clk.ToCycles(delay);
    inflight_.push_back(done);
    last = std::max(last, done);
    bytes_ += static_cast<std::int64_t>(b.bytes);
    InstrEvents& events = ctx_.events[index];
    const auto n = static_cast<std::int64_t>(b.bytes);
    if (load_) {
      events.dram_read += n;
      events.sram_write[static_cast<std::size_t>(buf)] += n;
    } else {
      events.dram_write += n;
      events.sram_read[static_cast<std::size_t>(buf)] += n;
    }
    ++bursts_;
    qk_.set(clk.Cycles(issue - now));
    if (qk_.need_sync()) qk_.sync();
  });
  // The instruction retires when its last burst has completed.
  qk_.set(clk.Cycles(last - clk.Now()));
  qk_.sync();
  return 0;
}

}  // namespace intvit::sim
