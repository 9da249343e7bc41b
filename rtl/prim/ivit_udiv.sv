// Sequential restoring divider for unsigned operands: intvit's one divider primitive (Shiftmax,
// ShiftGELU and I-LayerNorm use it). The dividend is left-aligned with a per-operation step
// count, so one instance serves divisions of different dividend widths (I-LayerNorm) at their
// own latency; StepsPerCycle trades area for latency.
//
// Computes:   quo = floor(N / den), rem = N mod den, where N = num_i >> (Width - steps_i) is the
//             dividend. The caller left-aligns it: num_i = N << (Width - steps_i), so N < 2^steps_i
//             and the low Width - steps_i bits of num_i are zero. quo < 2^steps_i.
// Rounding:   floor (operands are unsigned), as model::DivFloor (model/arith/div.h) on
//             non-negative values.
// Saturation: none. den = 0 is outside the range; it yields quo = 2^steps_i - 1, rem = N.
// Range:      steps_i in [1, Width]; den_i >= 1.
// Latency:    an operation accepted in cycle c (in_valid_i && in_ready_o) is presented from cycle
//             c + ceil(steps / StepsPerCycle) + 1 (out_valid_o) until out_ready_i takes it.
// Throughput: one operation every ceil(steps / StepsPerCycle) + 1 cycles: a new operation is
//             accepted in the cycle the previous result is taken.
// Handshake:  valid/ready on both sides. in_ready_o depends combinationally on out_ready_i (the
//             accept-while-draining path), never on in_valid_i. out_* hold until taken.
// Hardware:   Width-bit remainder, dividend/quotient shift register and divisor registers;
//             StepsPerCycle unrolled subtract-compare stages of Width + 1 bits.
module ivit_udiv #(
  parameter int unsigned Width = 32,
  parameter int unsigned StepsPerCycle = 1,
  localparam int unsigned StepsW = $clog2(Width + 1)
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic              in_valid_i,
  output logic              in_ready_o,
  input  logic [Width-1:0]  num_i,
  input  logic [Width-1:0]  den_i,
  input  logic [StepsW-1:0] steps_i,

  output logic              out_valid_o,
  input  logic              out_ready_i,
  output logic [Width-1:0]  quo_o,
  output logic [Width-1:0]  rem_o
);

  logic              busy_q, done_q;
  logic [StepsW-1:0] left_q;           // steps still to do
  logic [Width-1:0]  rem_q, nq_q, den_q;  // nq: dividend bits above, quotient bits below
  logic              accept;

  assign out_valid_o = done_q;
  assign in_ready_o  = !busy_q && (!done_q || out_ready_i);
  assign accept      = in_valid_i && in_ready_o;
  assign quo_o       = nq_q;
  assign rem_o       = rem_q;

  // StepsPerCycle restoring steps; step j runs only while j < left_q.
  logic [Width-1:0] rem_d, nq_d;
  always_comb begin
    logic [Width:0] trial;
    trial = '0;
    rem_d = rem_q;
    nq_d  = nq_q;
    for (int unsigned j = 0; j < StepsPerCycle; j++) begin
      if (StepsW'(j) < left_q) begin
        trial = {rem_d, nq_d[Width-1]};
        nq_d  = nq_d << 1;
        if (trial >= {1'b0, den_q}) begin
          trial    = trial - {1'b0, den_q};
          nq_d[0]  = 1'b1;
        end
        rem_d = trial[Width-1:0];  // < den_q, so it fits
      end
    end
  end

  logic last_cycle;
  assign last_cycle = (left_q <= StepsW'(StepsPerCycle));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      done_q <= 1'b0;
      left_q <= '0;
      rem_q  <= '0;
      nq_q   <= '0;
      den_q  <= '0;
    end else if (accept) begin
      busy_q <= 1'b1;
      done_q <= 1'b0;
      left_q <= steps_i;
      rem_q  <= '0;
      nq_q   <= num_i;
      den_q  <= den_i;
    end else if (busy_q) begin
      rem_q  <= rem_d;
      nq_q   <= nq_d;
      left_q <= last_cycle ? '0 : left_q - StepsW'(StepsPerCycle);
      busy_q <= !last_cycle;
      done_q <= last_cycle;
    end else if (done_q && out_ready_i) begin
      done_q <= 1'b0;
    end
  end

`ifndef SYNTHESIS
  a_steps: assert property (@(posedge clk_i) disable iff (!rst_ni)
      accept |-> (steps_i >= 1 && 32'(steps_i) <= Width))
    else $error("ivit_udiv: steps out of range");
  a_den: assert property (@(posedge clk_i) disable iff (!rst_ni) accept |-> (den_i != '0))
    else $error("ivit_udiv: division by zero");
`endif

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage"): the divisor and quotient edges, the step
  // counts, and both handshakes held.
  cp_den_one: cover property (@(posedge clk_i) disable iff (!rst_ni) accept && den_i == 1);
  cp_num_zero: cover property (@(posedge clk_i) disable iff (!rst_ni) accept && num_i == '0);
  cp_quo_zero: cover property (@(posedge clk_i) disable iff (!rst_ni)
      done_q && nq_q == '0 && out_ready_i);
  cp_quo_one: cover property (@(posedge clk_i) disable iff (!rst_ni)
      done_q && nq_q == 1 && out_ready_i);
  cp_steps_full: cover property (@(posedge clk_i) disable iff (!rst_ni)
      accept && 32'(steps_i) == Width);
  cp_steps_partial: cover property (@(posedge clk_i) disable iff (!rst_ni)
      accept && 32'(steps_i) < Width);
  cp_steps_ragged: cover property (@(posedge clk_i) disable iff (!rst_ni)
      busy_q && left_q < StepsW'(StepsPerCycle));
  cp_in_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      in_valid_i && !in_ready_o);
  cp_out_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      out_valid_o && !out_ready_i);
`endif

endmodule
