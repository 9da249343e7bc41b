// libsystemc.so provides a main() that calls sc_main and so needs the symbol at link time. The
// intvit binary has its own main() and starts the SystemC kernel itself (sim/top), so this one
// is never called.
#include <systemc>

int sc_main(int, char**) { return 0; }
