#include "sim/units/dram.h"

#include <cstring>

namespace intvit::sim {

Dram::Dram(const sc_core::sc_module_name& name, SimContext& ctx)
    : sc_core::sc_module(name),
      tgt("tgt"),
      ctx_(ctx),
      mem_(ctx.data.Memory(isa::Space::kDram)),
      read_bytes_(ctx.stats.Counter("dram.read_bytes", "bytes read from DRAM (loads)")),
      write_bytes_(ctx.stats.Counter("dram.write_bytes", "bytes written to DRAM (stores)")),
      bursts_(ctx.stats.Counter("dram.bursts", "DMA bursts served")),
      busy_(ctx.stats.Counter("dram.busy_cycles", "cycles the channel spent transferring data")) {
  tgt.register_b_transport(this, &Dram::BTransport);
  StatsRegistry& s = ctx.stats;
  s.Set("dram.bytes_per_cycle", "peak channel bandwidth, bytes per cycle",
        ctx.arch.dram_bytes_per_cycle);
  const std::int64_t* busy = &busy_;
  s.Formula("dram.utilization", "busy_cycles / total_cycles", [busy, &s] {
    const auto total = s.Value("total_cycles").get<std::int64_t>();
    return total > 0 ? static_cast<double>(*busy) / static_cast<double>(total) : 0.0;
  });
}

void Dram::BTransport(int, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const std::uint64_t addr = p.get_address();
  const std::uint64_t len = p.get_data_length();
  if (p.get_byte_enable_ptr() != nullptr || p.get_streaming_width() < len) {
    p.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (addr > mem_.size() || len > mem_.size() - addr) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const auto bytes = static_cast<std::int64_t>(len);
  if (p.is_read()) {
    std::memcpy(p.get_data_ptr(), mem_.data() + addr, len);
    read_bytes_ += bytes;
  } else if (p.is_write()) {
    std::memcpy(mem_.data() + addr, p.get_data_ptr(), len);
    write_bytes_ += bytes;
  } else {
    p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  ++bursts_;
  p.set_response_status(tlm::TLM_OK_RESPONSE);
  if (ctx_.mode != TimingMode::kDetailed) return;  // scalesim: memory takes no time
  const std::int64_t now = ctx_.clock.Now();
  const std::int64_t request = now + ctx_.clock.ToCycles(delay);
  const std::int64_t transfer = DramTransferCycles(bytes, ctx_.arch.dram_bytes_per_cycle);
  const std::int64_t start = channel_.Reserve(request, transfer);
  busy_ += transfer;
  const std::int64_t done = start + transfer + ctx_.arch.dram_latency_cycles;
  delay = ctx_.clock.Cycles(done - now);
  if (++calls_ % 4096 == 0) channel_.Prune(now);
}

}  // namespace intvit::sim
