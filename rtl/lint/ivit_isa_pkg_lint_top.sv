// Lint harness for the generated ISA package (<build>/generated/rtl/pkg/ivit_isa_pkg.sv).
// A package alone has no top module to elaborate, so this module uses each of its types; the
// ctest `lint.ivit_isa_pkg` runs `verilator --lint-only -Wall` on both files.
module ivit_isa_pkg_lint_top
  import ivit_isa_pkg::*;
(
  input  instr_t                 instr_i,
  output opcode_e                opcode_o,
  output unit_e                  wait0_unit_o,
  output buffer_e                dst_buf_o,
  output elem_type_e             dst_type_o,
  output logic                   is_gemm_o,
  output logic [InstrBits-1:0]   bits_o
);
  assign opcode_o     = opcode_e'(instr_i.opcode);
  assign wait0_unit_o = unit_e'(instr_i.wait0_unit[$bits(unit_e)-1:0]);
  assign dst_buf_o    = buffer_e'(instr_i.dst_buf);
  assign dst_type_o   = elem_type_e'(instr_i.dst_type);
  assign is_gemm_o    = (opcode_o == OpGemm);
  assign bits_o       = instr_i;
endmodule
