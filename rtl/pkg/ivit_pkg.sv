// Shared datapath widths of the intvit RTL.
//
// The ISA fields (opcodes, units, instruction layout) have one source, compiler/isa/isa.json,
// from which the build generates <build>/generated/rtl/pkg/ivit_isa_pkg.sv. The widths below
// are datapath facts of docs/arithmetic.md rather than ISA fields; once the generated package
// carries them, this package should import it (`import ivit_isa_pkg::*;`) and keep only what
// the ISA does not define. docs/rtl.md explains why each width suffices.
package ivit_pkg;

  // GEMM operands. A is int8 (activations, q) or uint16 (Shiftmax output in attn.v); one signed
  // 17-bit path holds both. B (weights, k, v) is int8.
  localparam int unsigned AW = 17;
  localparam int unsigned BW = 8;
  // Accumulator: int32. |sum| <= K * 2^14 for int8 A (K <= 65536 with a 2^30 margin for the
  // bias) and <= 2^15 * 2^7 = 2^22 for uint16 A (a Shiftmax row sums to at most 2^15).
  localparam int unsigned AccW = 32;

  // Dyadic multiplier m * 2^-e: |m| <= 2^31 (m = +2^31 occurs), so 33 signed bits; e in
  // [-62, 126], so 8 signed bits.
  localparam int unsigned DyMW = 33;
  localparam int unsigned DyEW = 8;

  // Requant input: any int64 (the golden Requant's contract and the vector format's x/res).
  localparam int unsigned RqInW = 64;
  // Requant / add outputs: int8 or int16, carried in 16 bits.
  localparam int unsigned RqOutW = 16;
  localparam int unsigned AddW = 16;

endpackage
