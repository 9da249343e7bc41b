// Sequential unsigned divider: radix-2 restoring, one quotient bit per cycle.
//
// Computes:   quotient_o = floor(dividend / divisor), remainder_o = dividend mod divisor
//             (unsigned). Division by zero is defined, not an error: quotient_o = 2^NW - 1 and
//             remainder_o = dividend mod 2^DW (every trial subtraction of 0 succeeds).
// Rounding:   floor (exact integer division).
// Saturation: none; the quotient always fits NW bits.
// Range:      any NW-bit dividend, any DW-bit divisor. NW >= 2, DW >= 1.
// Handshake:  valid/ready on both sides.
//   in:  a request is taken in a cycle with in_valid_i && in_ready_o. in_ready_o is high when
//        the unit is idle, or in the cycle its result is consumed (out_valid_o && out_ready_i),
//        so back-to-back requests overlap by one cycle. in_ready_o does not depend on
//        in_valid_i.
//   out: out_valid_o stays high, with stable quotient_o/remainder_o, until out_ready_i.
// Latency:    exactly NW cycles: a request taken in cycle t gives out_valid_o in cycle t + NW.
// Throughput: one division per NW cycles when the consumer is always ready.
// Golden:     floor division as in model::DivFloor (model/arith/div.h) on non-negative values;
//             used by the Shiftmax, ShiftGELU and LayerNorm units for floor(DIV / S).
// Area:       a DW-bit subtractor, a DW+1-bit comparator, NW + 2*DW bits of state, a log2(NW)-bit
//             counter and two flags (680 generic cells at 64/32, docs/rtl.md).
//
// Algorithm: acc holds the dividend bits not yet consumed (top) and the quotient bits made so
// far (bottom). Each step shifts the top dividend bit into the partial remainder r and tries
// r - divisor. The first step is taken combinationally from the inputs in the accepting cycle,
// so NW - 1 registered steps follow and the result is ready after NW cycles.
module ivit_div_seq #(
  parameter int unsigned NW = 32,  // dividend and quotient width
  parameter int unsigned DW = 32   // divisor and remainder width
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  // request
  input  logic          in_valid_i,
  output logic          in_ready_o,
  input  logic [NW-1:0] dividend_i,
  input  logic [DW-1:0] divisor_i,
  // result
  output logic          out_valid_o,
  input  logic          out_ready_i,
  output logic [NW-1:0] quotient_o,
  output logic [DW-1:0] remainder_o
);

  localparam int unsigned CW = $clog2(NW);

  logic          busy_q, busy_d;
  logic          valid_q, valid_d;
  logic [CW-1:0] cnt_q, cnt_d;   // registered steps still to take
  logic [NW-1:0] acc_q, acc_d;
  logic [DW-1:0] rem_q, rem_d;
  logic [DW-1:0] div_q, div_d;

  logic accept;
  assign in_ready_o = !busy_q || (valid_q && out_ready_i);
  assign accept     = in_valid_i && in_ready_o;

  // One restoring step on (remainder, acc) with the given divisor.
  logic [NW-1:0] step_acc_in;
  logic [DW-1:0] step_rem_in;
  logic [DW-1:0] step_div;
  logic [DW:0]   trial;
  logic [DW-1:0] diff;
  logic          qbit;
  logic [NW-1:0] step_acc_out;
  logic [DW-1:0] step_rem_out;

  always_comb begin
    step_acc_in = accept ? dividend_i : acc_q;
    step_rem_in = accept ? '0 : rem_q;
    step_div    = accept ? divisor_i : div_q;
    trial        = {step_rem_in, step_acc_in[NW-1]};
    diff         = trial[DW-1:0] - step_div;  // exact when trial >= divisor
    qbit         = trial >= {1'b0, step_div};
    step_rem_out = qbit ? diff : trial[DW-1:0];
    step_acc_out = {step_acc_in[NW-2:0], qbit};
  end

  always_comb begin
    busy_d  = busy_q;
    valid_d = valid_q;
    cnt_d   = cnt_q;
    acc_d   = acc_q;
    rem_d   = rem_q;
    div_d   = div_q;
    if (valid_q && out_ready_i) begin
      busy_d  = 1'b0;
      valid_d = 1'b0;
    end
    if (accept) begin
      busy_d  = 1'b1;
      valid_d = 1'b0;
      cnt_d   = CW'(NW - 1);
      acc_d   = step_acc_out;
      rem_d   = step_rem_out;
      div_d   = divisor_i;
    end else if (busy_q && !valid_q) begin
      acc_d = step_acc_out;
      rem_d = step_rem_out;
      cnt_d = cnt_q - CW'(1);
      if (cnt_q == CW'(1)) begin
        valid_d = 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      valid_q <= 1'b0;
      cnt_q   <= '0;
      acc_q   <= '0;
      rem_q   <= '0;
      div_q   <= '0;
    end else begin
      busy_q  <= busy_d;
      valid_q <= valid_d;
      cnt_q   <= cnt_d;
      acc_q   <= acc_d;
      rem_q   <= rem_d;
      div_q   <= div_d;
    end
  end

  assign out_valid_o = valid_q;
  assign quotient_o  = acc_q;
  assign remainder_o = rem_q;

`ifndef SYNTHESIS
  // Simulation-only check of every result against the definition of division,
  // quotient * divisor + remainder == dividend with remainder < divisor (builds with --assert).
  localparam int unsigned PW = NW + DW;
  logic [NW-1:0] dividend_q;
  always_ff @(posedge clk_i) begin
    if (accept) begin
      dividend_q <= dividend_i;
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni && valid_q && div_q != '0) begin
      assert (PW'(acc_q) * PW'(div_q) + PW'(rem_q) == PW'(dividend_q) && rem_q < div_q)
      else $error("ivit_div_seq: %0d / %0d gave %0d remainder %0d", dividend_q, div_q, acc_q,
                  rem_q);
    end
  end
`endif

endmodule
