// Lane-parallel saturating int16 addition (the residual add of the AddUnit).
//
// Computes:   y = clamp(a + b, -2^15, 2^15 - 1) per lane, the sum exact in 17 bits.
// Rounding:   none.
// Saturation: to int16.
// Range:      any int16 a, b.
// Handshake:  valid/ready, one register stage: in_ready_o = out_ready_i || !out_valid_o.
// Latency:    1 cycle: a beat taken in cycle t is on y_o in cycle t + 1.
// Throughput: Lanes elements per cycle.
// Golden:     model::SaturateToInt16(a + b) (model/arith/saturate.h).
module ivit_add #(
  parameter int unsigned Lanes = 16,
  parameter int unsigned W     = ivit_isa_pkg::AddW
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 in_valid_i,
  output logic                 in_ready_o,
  input  logic [Lanes*W-1:0]   a_i,
  input  logic [Lanes*W-1:0]   b_i,
  output logic                 out_valid_o,
  input  logic                 out_ready_i,
  output logic [Lanes*W-1:0]   y_o
);

  logic en;
  logic valid_q;
  assign en          = out_ready_i || !valid_q;
  assign in_ready_o  = en;
  assign out_valid_o = valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
    end else if (en) begin
      valid_q <= in_valid_i;
    end
  end

  for (genvar i = 0; i < Lanes; i++) begin : gen_lane
    logic signed [W:0]   sum;
    logic signed [W-1:0] sat;
    logic signed [W-1:0] y_q;
    assign sum = (W+1)'(signed'(a_i[i*W +: W])) + (W+1)'(signed'(b_i[i*W +: W]));
    ivit_sat #(
      .InW (W + 1),
      .OutW(W)
    ) u_sat (
      .x_i(sum),
      .y_o(sat)
    );
    always_ff @(posedge clk_i) begin
      if (en) begin
        y_q <= sat;
      end
    end
    assign y_o[i*W +: W] = y_q;
`ifdef INTVIT_COVER
    cp_sat_pos: cover property (@(posedge clk_i) disable iff (!rst_ni)
        in_valid_i && en && !sum[W] && sum[W-1]);
    cp_sat_neg: cover property (@(posedge clk_i) disable iff (!rst_ni)
        in_valid_i && en && sum[W] && !sum[W-1]);
`endif
  end

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage").
  cp_in_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      in_valid_i && !in_ready_o);
  cp_out_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      out_valid_o && !out_ready_i);
`endif

endmodule
