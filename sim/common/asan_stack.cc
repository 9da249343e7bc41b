#include "sim/common/asan_stack.h"

#if defined(__SANITIZE_ADDRESS__)
#define INTVIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define INTVIT_ASAN 1
#endif
#endif

#ifdef INTVIT_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace intvit::sim {

void RestoreAsanMainStack() {
#ifdef INTVIT_ASAN
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* bottom = nullptr;
  size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &bottom, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || bottom == nullptr || size == 0) return;
  // A "switch" from the current stack to itself, with the bounds ASan lost.
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

}  // namespace intvit::sim
