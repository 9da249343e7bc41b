// Dram: off-chip memory behind one channel of dram.bytes_per_cycle bytes per cycle with
// dram.latency_cycles of access latency, as a TLM-2.0 LT target shared by the load and store
// DMA queues. A burst of b bytes requested at cycle t (sc_time_stamp() + annotated delay) holds
// the channel for ceil(b / bytes_per_cycle) cycles in the first free gap at or after t
// (BandwidthCalendar) and completes latency cycles after its transfer; the returned delay
// points at that completion. Bytes are copied to or from the data path's DRAM image.
//
// Not modelled: banks, rows and refresh (no row-buffer hits or misses), read/write turnaround,
// several channels, a latency that depends on the address or the load, request reordering.
#pragma once

#include <tlm_utils/multi_passthrough_target_socket.h>

#include <cstdint>
#include <span>
#include <systemc>
#include <tlm>

#include "sim/common/bandwidth_calendar.h"
#include "sim/units/sim_context.h"

namespace intvit::sim {

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Dram> tgt;

  Dram(const sc_core::sc_module_name& name, SimContext& ctx);

 private:
  void BTransport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);

  SimContext& ctx_;
  std::span<std::uint8_t> mem_;
  BandwidthCalendar channel_;
  std::int64_t calls_ = 0;
  std::int64_t& read_bytes_;
  std::int64_t& write_bytes_;
  std::int64_t& bursts_;
  std::int64_t& busy_;
};

}  // namespace intvit::sim
