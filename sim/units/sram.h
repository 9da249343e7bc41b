// Sram: one on-chip buffer (act, wgt, acc or vec) of sram.<name>.kib with `banks` banks of
// `ports` ports. Two faces: a TLM-2.0 LT target (dma_tgt) through which the DMA queues move
// load/store bursts, and SramIf, on which compute units report the bytes an instruction moves.
// Either way the buffer needs ceil(bytes / (banks * ports * kSramWordBytes)) cycles for a
// transfer (docs/timing.md); DMA bursts get that as delay annotation. The bytes live in the
// data path's memory (the executor's view of this buffer).
//
// Not modelled: bank conflicts (accesses are assumed spread over the banks), contention between
// concurrent agents (each sees the full bandwidth), read-modify-write of partial words, ECC,
// power gating.
#pragma once

#include <tlm_utils/multi_passthrough_target_socket.h>

#include <cstdint>
#include <span>
#include <systemc>
#include <tlm>

#include "sim/units/interfaces.h"
#include "sim/units/sim_context.h"

namespace intvit::sim {

class Sram : public sc_core::sc_module, public SramIf {
 public:
  tlm_utils::multi_passthrough_target_socket<Sram> dma_tgt;

  Sram(const sc_core::sc_module_name& name, isa::Buffer buffer, SimContext& ctx);

  std::int64_t Access(std::int64_t read_bytes, std::int64_t write_bytes) override;
  isa::Buffer buffer() const { return buffer_; }

 private:
  void BTransport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);

  isa::Buffer buffer_;
  SimContext& ctx_;
  const compiler::SramConfig& cfg_;
  std::span<std::uint8_t> mem_;
  std::int64_t& read_bytes_;
  std::int64_t& write_bytes_;
  std::int64_t& dma_read_bytes_;
  std::int64_t& dma_write_bytes_;
  std::int64_t& busy_;
};

}  // namespace intvit::sim
