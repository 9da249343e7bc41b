// The factory of an ivit_array Verilated at run time (testbench/dynamic/rtl_cache.cc compiles
// it with -DIVIT_MODEL=<class> -DIVIT_MODEL_HEADER="<class>.h").
#include IVIT_MODEL_HEADER
#include "testbench/array/array_driver.h"
#include "testbench/dynamic/shim_abi.h"

INTVIT_SHIM_EXPORT void* intvit_rtl_make_unit(const intvit::tb::ShimArgs* a) {
  intvit::tb::ArrayUnit* u = new intvit::tb::ArrayUnitImpl<IVIT_MODEL>(a->array, a->wave);
  return u;
}
