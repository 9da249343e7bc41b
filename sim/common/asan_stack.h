// AddressSanitizer and SystemC's coroutines. libsystemc switches between the main stack and the
// process stacks with sanitizer fiber annotations, but it cannot tell ASan the size of the main
// stack, so after sc_start() returns ASan's idea of the current stack is wrong. ASan then
// ignores __asan_handle_no_return when an exception is thrown on the main stack, leaves the
// unwound frames poisoned, and later reports false stack-use-after-scope errors.
// RestoreAsanMainStack() re-announces the real bounds of the calling thread's stack; call it on
// the main stack after sc_start(). Without ASan it does nothing.
#pragma once

namespace intvit::sim {

void RestoreAsanMainStack();

}  // namespace intvit::sim
