#include "sim/units/sram.h"

#include <cstring>

namespace intvit::sim {
namespace {
std::string Key(isa::Buffer b, const char* leaf) {
  return "sram." + std::string(isa::BufferName(b)) + "." + leaf;
}
}  // namespace

Sram::Sram(const sc_core::sc_module_name& name, isa::Buffer buffer, SimContext& ctx)
    : sc_core::sc_module(name),
      dma_tgt("dma_tgt"),
      buffer_(buffer),
      ctx_(ctx),
      cfg_(ctx.arch.Sram(buffer)),
      mem_(ctx.data.Memory(static_cast<isa::Space>(buffer))),
      read_bytes_(ctx.stats.Counter(Key(buffer, "read_bytes"),
                                    "bytes read by compute units and the store DMA")),
      write_bytes_(ctx.stats.Counter(Key(buffer, "write_bytes"),
                                     "bytes written by compute units and the load DMA")),
      dma_read_bytes_(ctx.stats.Counter(Key(buffer, "dma_read_bytes"),
                                        "bytes read by the store DMA (part of read_bytes)")),
      dma_write_bytes_(ctx.stats.Counter(Key(buffer, "dma_write_bytes"),
                                         "bytes written by the load DMA (part of write_bytes)")),
      busy_(ctx.stats.Counter(Key(buffer, "port_cycles"),
                              "cycles of bank-port time the transfers need, "
                              "ceil(bytes / bytes_per_cycle) per transfer")) {
  dma_tgt.register_b_transport(this, &Sram::BTransport);
  ctx.stats.Set(Key(buffer, "bytes_per_cycle"),
                "peak bytes per cycle: banks * ports * " + std::to_string(kSramWordBytes),
                SramBytesPerCycle(cfg_));
  const std::int64_t* busy = &busy_;
  StatsRegistry& s = ctx.stats;
  s.Formula(Key(buffer, "utilization"), "port_cycles / total_cycles", [busy, &s] {
    const auto total = s.Value("total_cycles").get<std::int64_t>();
    return total > 0 ? static_cast<double>(*busy) / static_cast<double>(total) : 0.0;
  });
}

std::int64_t Sram::Access(std::int64_t read_bytes, std::int64_t write_bytes) {
  read_bytes_ += read_bytes;
  write_bytes_ += write_bytes;
  const std::int64_t cycles = SramCycles(read_bytes + write_bytes, cfg_);
  busy_ += cycles;
  return cycles;
}

void Sram::BTransport(int, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
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
    dma_read_bytes_ += bytes;
  } else if (p.is_write()) {
    std::memcpy(mem_.data() + addr, p.get_data_ptr(), len);
    write_bytes_ += bytes;
    dma_write_bytes_ += bytes;
  } else {
    p.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  const std::int64_t cycles = SramCycles(bytes, cfg_);
  busy_ += cycles;
  if (ctx_.mode == TimingMode::kDetailed) delay += ctx_.clock.Cycles(cycles);
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace intvit::sim
