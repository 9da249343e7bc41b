// The factory of an ivit_requant Verilated at run time (see array_shim.cc).
#include IVIT_MODEL_HEADER
#include "testbench/dynamic/shim_abi.h"
#include "testbench/vector_units/vector_driver.h"

INTVIT_SHIM_EXPORT void* intvit_rtl_make_unit(const intvit::tb::ShimArgs* a) {
  intvit::tb::RequantUnit* u = new intvit::tb::RequantUnitImpl<IVIT_MODEL>(a->lanes, a->wave);
  return u;
}
