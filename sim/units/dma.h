// Dma: one DMA queue (the `load` unit, DRAM to SRAM, or the `store` unit, SRAM to DRAM). It
// cuts a load/store into bursts (ForEachBurst: one span per row, or one for a contiguous block,
// at most dma.max_burst_bytes each) and moves every burst with two LT b_transport calls: DRAM
// (<unit>2dram) and the SRAM buffer (<unit>2<buffer>). Up to dma.queue_depth bursts are in
// flight: burst i is issued once burst i - depth has completed. Issue times run ahead of
// simulated time inside a tlm_utils::tlm_quantumkeeper and are synchronized when the quantum
// is used up and at the end of the instruction, which then retires at its last completion.
//
// Not modelled: descriptor fetch, address translation, alignment penalties, a minimum gap
// between issues, splitting bursts at DRAM page boundaries.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

#include "sim/units/queued_unit.h"

namespace intvit::sim {

class Dma : public QueuedUnit {
 public:
  using Socket = tlm_utils::simple_initiator_socket<Dma>;
  Socket dram;                      // load2dram_rd or store2dram_wr
  sc_core::sc_vector<Socket> sram;  // load2<buffer>_wr or store2<buffer>_rd, by isa::Buffer

  // `unit` is isa::Unit::kLoad or isa::Unit::kStore.
  Dma(const sc_core::sc_module_name& name, isa::Unit unit, SimContext& ctx);

 private:
  std::int64_t Execute(const isa::Instr& instr, std::size_t index) override;
  std::string TraceArgs(const isa::Instr& instr) const override;
  // One b_transport; throws InputError naming the instruction on an error response.
  void Transport(Socket& s, tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t bytes,
                 sc_core::sc_time& delay, std::size_t index, const char* what);

  bool load_;
  tlm_utils::tlm_quantumkeeper qk_;
  std::vector<std::uint8_t> staging_;
  std::vector<std::int64_t> inflight_;  // completion cycles of the last queue_depth bursts
  std::int64_t& bytes_;
  std::int64_t& bursts_;
};

}  // namespace intvit::sim
