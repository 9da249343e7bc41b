// ShiftGELU (I-ViT IntGELU), row by row; model::ShiftGelu of model/ops/shift_gelu.h, bit for bit.
//
// Computes:   per row of cols int8 values (the hidden features of one token):
//               xm  = max x;  e2 = ShiftExpSaturating(-xm, x0, n)            once per row
//               e1  = ShiftExpSaturating(x - xm, x0, n)                      per element
//               S   = min(e1 + e2, div);  f = floor(div / S)                 one divide each
//               sig = floor(e1 * f / 2^(32 - out_bits));  y = x * sig        int32
// Rounding:   floor at the divide and at the shift (as the C++).
// Saturation: e1 + e2 at div. e2 of an all-negative row has a positive argument and
//             saturates at 2^61 inside ivit_shift_exp (AllowPositive), which still gives
//             S = div exactly as the unsaturated value would.
// Range:      the legal parameters of CheckShiftGeluParams: x0 in [-2^31, -1], n in [0, 30],
//             out_bits in [2, 16], div in [1, 2^31], |x0| * 2^n <= 2^61 and
//             max(div, |x0| * 2^n) >> (32 - out_bits) <= 2^24 - 1. cols_i in [1, MaxCols].
//
// Interface:  as ivit_shiftmax: cfg_* quasi-static for a whole row; rows enter as
//             ceil(cols/Lanes) beats of Lanes int8 and leave as as many beats of Lanes int32
//             (padding lanes 0) with out_last_o on the last; cols_i is sampled with the first
//             input beat; valid/ready on both streams, no combinational in-to-out path.
//
// Phases:     load (store the row, running max) -> one pass: re-read a beat, Lanes shift-exps,
//             S, Lanes ivit_udiv dividers in lock step (32 quotient bits each), sigmoid,
//             product. The dividers are the bottleneck; Lanes and DivStepsPerCycle trade area
//             for throughput. While a beat divides, the next beat waits at the dividers' input
//             and the previous result waits in the output register. The row buffer with its
//             walks is ivit_row_buf, the max ivit_row_max, the output register ivit_out_beat.
// Latency:    with B = ceil(cols / Lanes) and D = ceil(32 / DivStepsPerCycle), back-to-back
//             input and a never-stalled output give the row's last output beat
//             B * (D + 2) + 2 cycles after its first input beat.
// Throughput: one row every B * (D + 2) + 3 cycles (one beat per D + 1 cycles in the pass;
//             rows do not overlap).
//
// Widths:     x - xm in [-255, 0] and -xm in [-127, 128]: 9-bit t. Because e1, e2 >= 0,
//             min(e1 + e2, div) = min(min(e1, 2^32) + min(e2, div), div), so S is a 33-bit
//             add of a clamped e1 and a per-row e2c = min(e2, div) (32 bits). S <= 2^31 and
//             f <= 2^31: 32-bit divider. If e1 >= 2^32 > div then S = div, f = 1 and
//             sig = e1 >> (32 - B); otherwise e1 * f <= max(div, e1) < 2^32 (f <= div / e1),
//             so a 32 x 32 multiplier keeping 32 bits is exact. Legal parameters bound
//             sig <= 2^24 - 1 (24 bits) and |y| <= 128 * (2^24 - 1) < 2^31.
module ivit_gelu #(
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
  output logic [Lanes*32-1:0]     out_data_o,
  output logic                    out_last_o
);

  typedef enum logic {StLoad, StProc} state_e;

  state_e             state_q;
  logic signed [7:0]  xm;  // the row max (registered in u_max)
  logic [4:0]         out_shift;

  assign out_shift = 5'(6'd32 - 6'(cfg_out_bits_i));  // in [16, 30]

  // ---------------------------------------------------------------- row buffer and max
  // Load: the buffer's write side and the running max. Pass: issue (the buffer's read walk)
  // -> s1 (the buffer's read register) -> dividers -> output register.
  logic               in_fire, wr_first, wr_last, s1_adv, s1_take, out_take, out_free, out_done;
  logic [Lanes-1:0]   wr_mask;
  logic               s1_valid, s1_last;
  logic [Lanes*8-1:0] s1_data;
  logic [Lanes-1:0]   s1_mask;
  logic [Lanes-1:0]   div_in_ready, div_out_valid;

  assign in_ready_o = (state_q == StLoad);
  assign in_fire    = in_valid_i && in_ready_o;
  assign s1_take    = s1_valid && (&div_in_ready);
  assign s1_adv     = !s1_valid || s1_take;
  assign out_take   = (&div_out_valid) && out_free;

  ivit_row_buf #(.Lanes(Lanes), .MaxCols(MaxCols), .ElemW(8)) u_buf (
    .clk_i, .rst_ni, .cols_i, .cols_o(),
    .wr_en_i(in_fire), .wr_data_i(in_data_i),
    .wr_first_o(wr_first), .wr_mask_o(wr_mask), .wr_last_o(wr_last),
    .rd_start_i(in_fire && wr_last), .rd_adv_i(s1_adv),
    .rd_valid_o(s1_valid), .rd_data_o(s1_data), .rd_mask_o(s1_mask), .rd_last_o(s1_last)
  );

  ivit_row_max #(.Lanes(Lanes), .ElemW(8)) u_max (
    .clk_i, .rst_ni, .en_i(in_fire), .first_i(wr_first), .mask_i(wr_mask), .data_i(in_data_i),
    .max_o(xm)
  );

  // ---------------------------------------------------------------- e2c = min(e^(-xm), div)
  logic signed [8:0] t_row;  // -xm in [-127, 128]
  logic [61:0]       e2;
  logic [31:0]       e2c_q;
  assign t_row = 9'sd0 - 9'(xm);
  ivit_shift_exp #(.TWidth(9), .AllowPositive(1'b1)) u_exp_row (
    .t_i(t_row), .x0_i(cfg_x0_i), .n_i(cfg_n_i), .e_o(e2)
  );
  // Registered every cycle; xm is final from the first cycle of the pass, and e2c_q is first
  // used one cycle later.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) e2c_q <= '0;
    else         e2c_q <= (e2 > 62'(cfg_div_i)) ? cfg_div_i : e2[31:0];
  end

  // ---------------------------------------------------------------- pass: s1 -> dividers -> out
  // Side data of the beat inside the dividers, captured as it enters them.
  logic               sd_last_q;
  logic [Lanes-1:0]   sd_mask_q;
  logic signed [7:0]  sd_x_q    [Lanes];
  logic               sd_ehi_q  [Lanes];
  logic [31:0]        sd_elo_q  [Lanes];
  logic [23:0]        sd_sigh_q [Lanes];
  logic [31:0]        div_quo   [Lanes];
  logic [Lanes*32-1:0] y_beat;

  for (genvar j = 0; j < Lanes; j++) begin : g_lane
    logic signed [7:0] x;
    logic signed [8:0] t;
    logic [61:0]       e1;
    logic [32:0]       s_sum;
    logic [31:0]       s_den;

    assign x = signed'(s1_data[8*j +: 8]);
    // Padding lanes use t = 0 (a valid divisor); their results are discarded.
    assign t = s1_mask[j] ? (9'(x) - 9'(xm)) : 9'sd0;
    ivit_shift_exp #(.TWidth(9), .AllowPositive(1'b0)) u_exp (
      .t_i(t), .x0_i(cfg_x0_i), .n_i(cfg_n_i), .e_o(e1)
    );
    assign s_sum = ((|e1[61:32]) ? (33'd1 << 32) : 33'(e1[31:0])) + 33'(e2c_q);
    assign s_den = (s_sum > 33'(cfg_div_i)) ? cfg_div_i : s_sum[31:0];

    ivit_udiv #(.Width(32), .StepsPerCycle(DivStepsPerCycle)) u_div (
      .clk_i, .rst_ni,
      .in_valid_i(s1_valid), .in_ready_o(div_in_ready[j]),
      .num_i(cfg_div_i), .den_i(s_den), .steps_i(6'd32),
      .out_valid_o(div_out_valid[j]), .out_ready_i(out_take),
      .quo_o(div_quo[j]), .rem_o()
    );

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        sd_x_q[j]    <= '0;
        sd_ehi_q[j]  <= 1'b0;
        sd_elo_q[j]  <= '0;
        sd_sigh_q[j] <= '0;
      end else if (s1_take) begin
        sd_x_q[j]    <= x;
        sd_ehi_q[j]  <= |e1[61:32];
        sd_elo_q[j]  <= e1[31:0];
        sd_sigh_q[j] <= 24'(e1 >> out_shift);
      end
    end

    // sig and y of the beat leaving the dividers.
    logic [31:0]        prod;
    logic [23:0]        sig;
    logic signed [31:0] y;
    assign prod = sd_elo_q[j] * div_quo[j];  // exact: < 2^32 unless e1 >= 2^32 (then f = 1)
    assign sig  = sd_ehi_q[j] ? sd_sigh_q[j] : 24'(prod >> out_shift);
    assign y    = 32'(sd_x_q[j]) * signed'({8'd0, sig});  // |y| < 2^31
    assign y_beat[32*j +: 32] = sd_mask_q[j] ? y : 32'd0;
`ifdef INTVIT_COVER
    cp_den_clamped: cover property (@(posedge clk_i) disable iff (!rst_ni)
        s1_take && s1_mask[j] && s_sum > 33'(cfg_div_i));
    cp_e1_wide: cover property (@(posedge clk_i) disable iff (!rst_ni)
        s1_take && s1_mask[j] && (|e1[61:32]));
`endif
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sd_last_q <= 1'b0;
      sd_mask_q <= '0;
    end else if (s1_take) begin
      sd_last_q <= s1_last;
      sd_mask_q <= s1_mask;
    end
  end

  ivit_out_beat #(.Width(Lanes * 32)) u_out (
    .clk_i, .rst_ni,
    .load_i(out_take), .valid_i(1'b1), .last_i(sd_last_q), .data_i(y_beat),
    .free_o(out_free), .taken_last_o(out_done),
    .valid_o(out_valid_o), .ready_i(out_ready_i), .data_o(out_data_o), .last_o(out_last_o)
  );

  // ---------------------------------------------------------------- control
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StLoad;
    end else begin
      unique case (state_q)
        StLoad:  if (in_fire && wr_last) state_q <= StProc;
        StProc:  if (out_done) state_q <= StLoad;
        default: state_q <= StLoad;
      endcase
    end
  end

`ifndef SYNTHESIS
  // The lanes' dividers run in lock step.
  a_lockstep: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (div_in_ready == '0 || div_in_ready == '1) && (div_out_valid == '0 || div_out_valid == '1))
    else $error("ivit_gelu: dividers out of step");
  for (genvar j = 0; j < Lanes; j++) begin : g_chk
    a_t: assert property (@(posedge clk_i) disable iff (!rst_ni)
        (s1_valid && s1_mask[j]) |-> (signed'(s1_data[8*j +: 8]) <= xm))
      else $error("ivit_gelu: element above the row max");
  end
`endif

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage"); a row counts at its last beat's divide.
  cp_all_negative_row: cover property (@(posedge clk_i) disable iff (!rst_ni)
      s1_take && s1_last && xm < 8'sd0);
  cp_e2_clamped: cover property (@(posedge clk_i) disable iff (!rst_ni)
      s1_take && s1_last && e2 > 62'(cfg_div_i));
  cp_in_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      in_valid_i && !in_ready_o);
  cp_out_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      out_valid_o && !out_ready_i);
`endif

endmodule
