// Shiftmax (I-ViT IntSoftmax), row by row; model::Shiftmax of model/ops/shiftmax.h, bit for bit.
//
// Computes:   per row of cols int8 logits:
//               xm = max x;  e_j = ShiftExpSaturating(x_j - xm, x0, n)
//               S = min(sum_j e_j, div);  f = floor(div / S)        (one divide per row)
//               y_j = floor(e_j * f / 2^(32 - out_bits))            uint16
// Rounding:   floor at the divide and at the final shift (as the C++).
// Saturation: the row sum at div, nothing else (legal parameters keep y in uint16).
// Range:      the legal parameters of CheckShiftmaxParams: x0 in [-2^31, -1], n in [0, 30],
//             out_bits in [2, 16], div in [1, 2^31], |x0| * 2^n <= 2^61 and
//             (|x0| * 2^n) >> (32 - out_bits) <= 65535. cols_i in [1, MaxCols].
//
// Interface:  cfg_* are quasi-static: hold them from a row's first input beat to its last output
//             beat. A row enters as ceil(cols/Lanes) beats of Lanes int8 (element j of the row in
//             lane j mod Lanes; the last beat may be partial, its extra lanes are ignored) and
//             leaves as the same number of beats of Lanes uint16 (extra lanes are 0), with
//             out_last_o on the final beat. cols_i is sampled with the row's first input beat.
//             Both streams are valid/ready; no combinational path from in_valid_i to
//             out_valid_o or from out_ready_i to in_ready_o.
//
// Phases:     load (store the row, running max) -> sum pass (re-read, shift-exp, sum, clamp) ->
//             divide (one ivit_udiv, 32 quotient bits) -> output pass (re-read, shift-exp,
//             multiply by f, shift). The exponentials are recomputed, not buffered, so the row
//             buffer holds int8 (MaxCols bytes), as the C++ recomputes them. The buffer with its
//             walks is ivit_row_buf, the max ivit_row_max, the output register ivit_out_beat.
// Latency:    with B = ceil(cols / Lanes) and D = ceil(32 / DivStepsPerCycle), a row whose input
//             beats arrive back to back and whose output is never stalled has its last output
//             beat 3*B + D + 6 cycles after its first input beat (first beat = cycle 0).
// Throughput: one row every 3*B + D + 7 cycles (rows do not overlap; the next row's first beat
//             is accepted the cycle after the last output beat).
//
// Widths:     x - xm in [-255, 0], so the shift-exp units take 9-bit t. e <= 2^61 in general,
//             and legal parameters give e <= |x0| * 2^n < 2^46. Two facts keep the datapath at
//             32/33 bits:
//             - sum: every e >= 0, so min(sum e, div) = min(sum min(e, 2^32), div); each lane
//               adds a 33-bit clamped e and the accumulator is clamped to div <= 2^31 per beat.
//             - product: if e >= 2^32 > div the sum clamped, f = 1 and y = e >> (32 - B);
//               otherwise e * f <= max(div, e) < 2^32 (f <= div / S <= div / e), so a 32 x 32
//               multiplier keeping the low 32 bits is exact.
//             f = floor(div / S) <= 2^31 (S >= 1: every e >= 1).
module ivit_shiftmax #(
  parameter int unsigned Lanes = 1,
  parameter int unsigned MaxCols = 1024,
  parameter int unsigned DivStepsPerCycle = 1,
  localparam int unsigned ColsW = $clog2(MaxCols + 1)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,

  input  logic signed [31:0]      cfg_x0_i,
  input  logic        [4:0]       cfg_n_i,
  input  logic        [4:0]       cfg_out_bits_i,
  input  logic        [31:0]      cfg_div_i,
  input  logic        [ColsW-1:0] cols_i,

  input  logic                    in_valid_i,
  output logic                    in_ready_o,
  input  logic [Lanes*8-1:0]      in_data_i,

  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [Lanes*16-1:0]     out_data_o,
  output logic                    out_last_o
);

  localparam int unsigned AccW = 34 + $clog2(Lanes + 1);  // sum_q + Lanes * 2^32

  typedef enum logic [1:0] {StLoad, StSum, StDiv, StOut} state_e;

  state_e             state_q;
  logic signed [7:0]  xm;  // the row max (registered in u_max)
  logic [31:0]        sum_q, f_q;
  logic [4:0]         out_shift;

  assign out_shift = 5'(6'd32 - 6'(cfg_out_bits_i));  // in [16, 30]

  // ---------------------------------------------------------------- row buffer and max
  // Load: the buffer's write side and the running max. Passes: issue (the buffer's read walk)
  // -> s1 (the buffer's read register) -> shift-exp -> s2 (e split) -> sum or output register.
  logic               in_fire, wr_first, wr_last, rd_start, en, out_free, out_done;
  logic [Lanes-1:0]   wr_mask;
  logic               s1_valid, s1_last;
  logic [Lanes*8-1:0] s1_data;
  logic [Lanes-1:0]   s1_mask;
  logic               div_out_valid;

  assign in_ready_o = (state_q == StLoad);
  assign in_fire    = in_valid_i && in_ready_o;
  assign rd_start   = (in_fire && wr_last) || (state_q == StDiv && div_out_valid);
  assign en         = (state_q != StOut) || out_free;

  ivit_row_buf #(.Lanes(Lanes), .MaxCols(MaxCols), .ElemW(8)) u_buf (
    .clk_i, .rst_ni, .cols_i, .cols_o(),
    .wr_en_i(in_fire), .wr_data_i(in_data_i),
    .wr_first_o(wr_first), .wr_mask_o(wr_mask), .wr_last_o(wr_last),
    .rd_start_i(rd_start), .rd_adv_i(en),
    .rd_valid_o(s1_valid), .rd_data_o(s1_data), .rd_mask_o(s1_mask), .rd_last_o(s1_last)
  );

  ivit_row_max #(.Lanes(Lanes), .ElemW(8)) u_max (
    .clk_i, .rst_ni, .en_i(in_fire), .first_i(wr_first), .mask_i(wr_mask), .data_i(in_data_i),
    .max_o(xm)
  );

  logic               s2_valid_q, s2_last_q;
  logic [Lanes-1:0]   s2_mask_q;

  // Per lane: e = ShiftExp(x - xm), split into e >= 2^32 (hi), its low 32 bits and e >> shift.
  logic [61:0] e_lane [Lanes];
  logic        s2_ehi_q [Lanes];
  logic [31:0] s2_elo_q [Lanes];
  logic [15:0] s2_yh_q  [Lanes];

  for (genvar j = 0; j < Lanes; j++) begin : g_exp
    logic signed [8:0] t;
    // Masked lanes (past the end of the row) use t = 0; their results are discarded.
    assign t = s1_mask[j] ? (9'(signed'(s1_data[8*j +: 8])) - 9'(xm)) : 9'sd0;
    ivit_shift_exp #(.TWidth(9), .AllowPositive(1'b0)) u_exp (
      .t_i(t), .x0_i(cfg_x0_i), .n_i(cfg_n_i), .e_o(e_lane[j])
    );
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s2_valid_q <= 1'b0;
      s2_last_q  <= 1'b0;
      s2_mask_q  <= '0;
      for (int unsigned j = 0; j < Lanes; j++) begin
        s2_ehi_q[j] <= 1'b0;
        s2_elo_q[j] <= '0;
        s2_yh_q[j]  <= '0;
      end
    end else if (en) begin
      s2_valid_q <= s1_valid;
      s2_last_q  <= s1_last;
      s2_mask_q  <= s1_mask;
      for (int unsigned j = 0; j < Lanes; j++) begin
        s2_ehi_q[j] <= |e_lane[j][61:32];
        s2_elo_q[j] <= e_lane[j][31:0];
        s2_yh_q[j]  <= 16'(e_lane[j] >> out_shift);
      end
    end
  end

  // ---------------------------------------------------------------- sum with clamp at div
  logic [AccW-1:0] sum_raw;   // the sum with this beat
  logic [31:0]     sum_next;  // ... clamped at div (<= 2^31)
  always_comb begin
    sum_raw = AccW'(sum_q);
    for (int unsigned j = 0; j < Lanes; j++) begin
      if (s2_mask_q[j]) begin
        sum_raw = sum_raw + (s2_ehi_q[j] ? (AccW'(1) << 32) : AccW'(s2_elo_q[j]));
      end
    end
  end
  assign sum_next = (sum_raw > AccW'(cfg_div_i)) ? cfg_div_i : sum_raw[31:0];

  // ---------------------------------------------------------------- divide: f = div / S
  logic        div_req_q, div_in_ready;
  logic [31:0] div_quo;

  ivit_udiv #(.Width(32), .StepsPerCycle(DivStepsPerCycle)) u_div (
    .clk_i, .rst_ni,
    .in_valid_i(div_req_q), .in_ready_o(div_in_ready),
    .num_i(cfg_div_i), .den_i(sum_q), .steps_i(6'd32),
    .out_valid_o(div_out_valid), .out_ready_i(1'b1),
    .quo_o(div_quo), .rem_o()
  );

  // ---------------------------------------------------------------- output: y = e * f >> shift
  logic [Lanes*16-1:0] y_beat;
  always_comb begin
    for (int unsigned j = 0; j < Lanes; j++) begin
      logic [31:0] prod;
      prod = s2_elo_q[j] * f_q;  // exact: < 2^32 unless e >= 2^32 (then f = 1, use yh)
      y_beat[16*j +: 16] = !s2_mask_q[j] ? 16'd0
                         : s2_ehi_q[j]   ? s2_yh_q[j] : 16'(prod >> out_shift);
    end
  end

  ivit_out_beat #(.Width(Lanes * 16)) u_out (
    .clk_i, .rst_ni,
    .load_i(state_q == StOut && en), .valid_i(s2_valid_q), .last_i(s2_last_q), .data_i(y_beat),
    .free_o(out_free), .taken_last_o(out_done),
    .valid_o(out_valid_o), .ready_i(out_ready_i), .data_o(out_data_o), .last_o(out_last_o)
  );

  // ---------------------------------------------------------------- control
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= StLoad;
      sum_q     <= '0;
      f_q       <= '0;
      div_req_q <= 1'b0;
    end else begin
      unique case (state_q)
        StLoad: begin
          if (in_fire && wr_last) begin
            state_q <= StSum;
            sum_q   <= '0;
          end
        end
        StSum: begin
          if (s2_valid_q) begin
            sum_q <= sum_next;
            if (s2_last_q) begin
              state_q   <= StDiv;
              div_req_q <= 1'b1;
            end
          end
        end
        StDiv: begin
          if (div_req_q && div_in_ready) div_req_q <= 1'b0;
          if (div_out_valid) begin
            f_q     <= div_quo;
            state_q <= StOut;
          end
        end
        StOut: begin
          if (out_done) state_q <= StLoad;
        end
        default: state_q <= StLoad;
      endcase
    end
  end

`ifndef SYNTHESIS
  for (genvar j = 0; j < Lanes; j++) begin : g_chk
    logic ehi;
    assign ehi = s2_ehi_q[j];
    // The shift-exp units see t = x - xm <= 0 only.
    a_t: assert property (@(posedge clk_i) disable iff (!rst_ni)
        (s1_valid && s1_mask[j]) |-> (signed'(s1_data[8*j +: 8]) <= xm))
      else $error("ivit_shiftmax: element above the row max");
    // e >= 2^32 only when the sum clamped, so f = 1 (the product shortcut relies on it).
    a_ehi: assert property (@(posedge clk_i) disable iff (!rst_ni)
        (state_q == StOut && s2_valid_q && s2_mask_q[j] && ehi) |-> (f_q == 32'd1))
      else $error("ivit_shiftmax: e >= 2^32 with f > 1");
  end
`endif

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage"). The lanes whose e is 2^32 or more:
  logic [Lanes-1:0] s2_ehi_vec;
  for (genvar j = 0; j < Lanes; j++) begin : g_cov
    assign s2_ehi_vec[j] = s2_ehi_q[j];
  end
  cp_sum_clamped: cover property (@(posedge clk_i) disable iff (!rst_ni)
      state_q == StSum && s2_valid_q && sum_raw > AccW'(cfg_div_i));
  cp_f_one: cover property (@(posedge clk_i) disable iff (!rst_ni)
      state_q == StDiv && div_out_valid && div_quo == 32'd1);
  cp_e_wide: cover property (@(posedge clk_i) disable iff (!rst_ni)
      state_q == StOut && s2_valid_q && (|(s2_mask_q & s2_ehi_vec)));
  cp_in_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      in_valid_i && !in_ready_o);
  cp_out_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      out_valid_o && !out_ready_i);
`endif

endmodule
