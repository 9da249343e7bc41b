// libsystemc.so owns main() and calls sc_main, so the SystemC test binary starts here.
// gtest_discover_tests runs each test in its own process: a fresh kernel per test.
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
