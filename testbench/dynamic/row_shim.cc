// The factory of a row unit (ivit_shiftmax, ivit_gelu, ivit_layernorm) Verilated at run time (see
// array_shim.cc); also -DIVIT_ROW_KIND=<RowKind value> -DIVIT_LANES=<Lanes>.
#include IVIT_MODEL_HEADER
#include "testbench/dynamic/shim_abi.h"
#include "testbench/nonlinear/row_driver.h"

INTVIT_SHIM_EXPORT void* intvit_rtl_make_unit(const intvit::tb::ShimArgs* a) {
  constexpr auto kKind = static_cast<intvit::tb::RowKind>(IVIT_ROW_KIND);
  intvit::tb::RowUnit* u =
      new intvit::tb::RowUnitImpl<kKind, IVIT_MODEL, IVIT_LANES>(a->row, a->wave);
  return u;
}
