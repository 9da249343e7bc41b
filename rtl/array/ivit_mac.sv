// Multiply-accumulate: the arithmetic of one processing element.
//
// Computes:   psum_o = psum_i + a_i * b_i, exact in AccW bits.
// Rounding:   none.
// Saturation: none; the sum wraps modulo 2^AccW. The GEMM contract keeps every partial sum
//             inside int32 (docs/rtl.md, "Widths"), so wrapping never happens on legal tiles.
// Range:      a_i is a signed AW-bit value (int8 sign-extended or uint16 zero-extended into
//             17 bits), b_i a signed BW-bit value.
// Latency:    combinational.
// Golden:     one term of model::Linear / model::MatMul (model/ops/linear.h, matmul.h).
module ivit_mac #(
  parameter int unsigned AW   = ivit_isa_pkg::AW,
  parameter int unsigned BW   = ivit_isa_pkg::BW,
  parameter int unsigned AccW = ivit_isa_pkg::AccW
) (
  input  logic signed [AW-1:0]   a_i,
  input  logic signed [BW-1:0]   b_i,
  input  logic signed [AccW-1:0] psum_i,
  output logic signed [AccW-1:0] psum_o
);

  logic signed [AW+BW-1:0] prod;
  assign prod   = a_i * b_i;
  assign psum_o = psum_i + AccW'(prod);

endmodule
