// Lane-parallel dyadic requantizer with an optional residual branch (I-ViT's QuantAct, HAWQ's
// fixedpoint_mul).
//
// Computes:   per lane, y = clamp(sat64(round(x * m / 2^e)) + sat64(round(res * m_res / 2^e_res)),
//                                 -2^(B-1), 2^(B-1) - 1),  B = 16 if out16_i else 8.
//             Each branch is rounded on its own, saturated to int64 like the golden model's
//             int64 result, then the two are added exactly and clamped. A lane without a
//             residual passes m_res = 0 (the branch is then exactly 0).
// Rounding:   half_up_i = 0: ties to even (PyTorch); 1: ties toward +inf (TVM). ivit_round_shift.
// Saturation: to B bits after the sum; each branch to int64 first (only reachable for e <= 0
//             left shifts of large products, where it decides the result exactly as the
//             golden model's int64 SaturatingAdd does).
// Range:      x, res: any InW-bit signed value (InW = 64 covers the whole golden contract:
//             int16/int32 accumulators, int64 LayerNorm outputs whose bias_int may exceed int32);
//             m, m_res in [-2^31, 2^31] (33 signed bits); e, e_res in [-62, 126] (8 signed bits;
//             any 8-bit value is handled).
// Widths:     the product x * m needs InW + 32 bits (|x| <= 2^(InW-1), |m| <= 2^31).
// Handshake:  valid/ready with a stalling pipeline: in_ready_o = out_ready_i || !out_valid_o.
// Latency:    3 cycles (multiply | round, shift, saturate | add, clamp): a beat taken in cycle
//             t is on y_o in cycle t + 3 when the consumer does not stall.
// Throughput: Lanes elements per cycle.
// Golden:     model::Requant (model/ops/requant.h), DyadicMultiplyHalfEven/HalfUp,
//             SaturatingAdd, SaturateToBits.
// Lanes:      lane i of a packed port is bits [i*W +: W]; per-lane (m, e) lets one beat cover
//             Lanes consecutive channels of a per-channel requantization.
module ivit_requant #(
  parameter int unsigned Lanes = 16,
  parameter int unsigned InW   = ivit_isa_pkg::RqInW,
  parameter int unsigned MW    = ivit_isa_pkg::DyMW,
  parameter int unsigned EW    = ivit_isa_pkg::DyEW,
  parameter int unsigned OutW  = ivit_isa_pkg::RqOutW
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  input  logic [Lanes*InW-1:0]  x_i,
  input  logic [Lanes*MW-1:0]   m_i,
  input  logic [Lanes*EW-1:0]   e_i,
  input  logic [Lanes*InW-1:0]  res_i,
  input  logic [Lanes*MW-1:0]   m_res_i,
  input  logic [Lanes*EW-1:0]   e_res_i,
  input  logic                  half_up_i,
  input  logic                  out16_i,
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [Lanes*OutW-1:0] y_o
);

  localparam int unsigned PW = InW + MW - 1;  // product width
  localparam int unsigned BrW = 64;           // a branch, saturated like the golden int64

  logic en;
  logic v1_q, v2_q, v3_q;
  assign en         = out_ready_i || !v3_q;
  assign in_ready_o = en;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      v1_q <= 1'b0;
      v2_q <= 1'b0;
      v3_q <= 1'b0;
    end else if (en) begin
      v1_q <= in_valid_i;
      v2_q <= v1_q;
      v3_q <= v2_q;
    end
  end
  assign out_valid_o = v3_q;

  // Per-beat controls travel with the data.
  logic half_up1_q, out16_1_q, out16_2_q;
  always_ff @(posedge clk_i) begin
    if (en) begin
      half_up1_q <= half_up_i;
      out16_1_q  <= out16_i;
      out16_2_q  <= out16_1_q;
    end
  end

  for (genvar i = 0; i < Lanes; i++) begin : gen_lane
    // Stage 1: the two exact products.
    logic signed [PW-1:0] p_q, pr_q;
    logic signed [EW-1:0] e1_q, er1_q;
    always_ff @(posedge clk_i) begin
      if (en) begin
        p_q   <= PW'(signed'(x_i[i*InW +: InW])) * PW'(signed'(m_i[i*MW +: MW]));
        pr_q  <= PW'(signed'(res_i[i*InW +: InW])) * PW'(signed'(m_res_i[i*MW +: MW]));
        e1_q  <= e_i[i*EW +: EW];
        er1_q <= e_res_i[i*EW +: EW];
      end
    end

    // Stage 2: each branch rounded and saturated to int64.
    logic signed [BrW-1:0] b, br;
    ivit_round_shift #(
      .InW (PW),
      .OutW(BrW),
      .EW  (EW)
    ) u_shift (
      .x_i      (p_q),
      .e_i      (e1_q),
      .half_up_i(half_up1_q),
      .y_o      (b)
    );
    ivit_round_shift #(
      .InW (PW),
      .OutW(BrW),
      .EW  (EW)
    ) u_shift_res (
      .x_i      (pr_q),
      .e_i      (er1_q),
      .half_up_i(half_up1_q),
      .y_o      (br)
    );
    logic signed [BrW-1:0] b_q, br_q;
    always_ff @(posedge clk_i) begin
      if (en) begin
        b_q  <= b;
        br_q <= br;
      end
    end

    // Stage 3: exact sum, clamp to 8 or 16 bits.
    logic signed [BrW:0]   sum;
    logic signed [7:0]     y8;
    logic signed [15:0]    y16;
    assign sum = (BrW+1)'(b_q) + (BrW+1)'(br_q);
    ivit_sat #(
      .InW (BrW + 1),
      .OutW(8)
    ) u_sat8 (
      .x_i(sum),
      .y_o(y8)
    );
    ivit_sat #(
      .InW (BrW + 1),
      .OutW(16)
    ) u_sat16 (
      .x_i(sum),
      .y_o(y16)
    );
    logic signed [OutW-1:0] y_q;
    always_ff @(posedge clk_i) begin
      if (en) begin
        y_q <= out16_2_q ? OutW'(y16) : OutW'(y8);
      end
    end
    assign y_o[i*OutW +: OutW] = y_q;

`ifdef INTVIT_COVER
    // Named cover points (docs/rtl.md, "Coverage"). Stage 1 (v1_q) rounds, stage 2 (v2_q)
    // saturates; a point counts only for a beat that moves (en).
    logic tie;
    assign tie = u_shift.right && u_shift.half && !u_shift.sticky;
    cp_tie_even_up: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v1_q && tie && !half_up1_q && u_shift.q[0]);
    cp_tie_even_down: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v1_q && tie && !half_up1_q && !u_shift.q[0]);
    cp_tie_up_pos: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v1_q && tie && half_up1_q && !p_q[PW-1]);
    cp_tie_up_neg: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v1_q && tie && half_up1_q && p_q[PW-1]);
    cp_lshift_sat: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v1_q && !u_shift.right && !u_shift.l_fits);
    cp_residual: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v1_q && pr_q != '0);
    cp_sat8_pos: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v2_q && !out16_2_q && sum > 65'sd127);
    cp_sat8_neg: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v2_q && !out16_2_q && sum < -65'sd128);
    cp_sat16_pos: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v2_q && out16_2_q && sum > 65'sd32767);
    cp_sat16_neg: cover property (@(posedge clk_i) disable iff (!rst_ni)
        en && v2_q && out16_2_q && sum < -65'sd32768);
`endif
  end

`ifdef INTVIT_COVER
  cp_in_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      in_valid_i && !in_ready_o);
  cp_out_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      out_valid_o && !out_ready_i);
`endif

endmodule
