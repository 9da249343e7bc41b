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
//             and the previous result waits in the output register.
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

  localparam int unsigned Beats = (MaxCols + Lanes - 1) / Lanes;
  localparam int unsigned AddrW = (Beats > 1) ? $clog2(Beats) : 1;

  typedef enum logic {StLoad, StProc} state_e;

  state_e             state_q;
  logic               first_q;
  logic [ColsW-1:0]   cols_q, cols_cur;
  logic signed [7:0]  xm_q;
  logic [4:0]         out_shift;

  assign cols_cur  = first_q ? cols_i : cols_q;
  assign out_shift = 5'(6'd32 - 6'(cfg_out_bits_i));  // in [16, 30]

  // ---------------------------------------------------------------- load: buffer and max
  logic [Lanes*8-1:0] mem_q [Beats];
  logic [AddrW-1:0]   wr_addr;
  logic [Lanes-1:0]   wr_mask;
  logic               wr_last, in_fire;
  logic signed [7:0]  beat_max;

  assign in_ready_o = (state_q == StLoad);
  assign in_fire    = in_valid_i && in_ready_o;

  ivit_row_walk #(.Lanes(Lanes), .MaxCols(MaxCols)) u_wr_walk (
    .clk_i, .rst_ni, .cols_i(cols_cur), .step_i(in_fire),
    .addr_o(wr_addr), .mask_o(wr_mask), .last_o(wr_last)
  );

  always_comb begin
    beat_max = first_q ? 8'sh80 : xm_q;
    for (int unsigned j = 0; j < Lanes; j++) begin
      if (wr_mask[j] && signed'(in_data_i[8*j +: 8]) > beat_max) begin
        beat_max = signed'(in_data_i[8*j +: 8]);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (in_fire) mem_q[wr_addr] <= in_data_i;
  end

  // ---------------------------------------------------------------- e2c = min(e^(-xm), div)
  logic signed [8:0] t_row;  // -xm in [-127, 128]
  logic [61:0]       e2;
  logic [31:0]       e2c_q;
  assign t_row = 9'sd0 - 9'(xm_q);
  ivit_shift_exp #(.TWidth(9), .AllowPositive(1'b1)) u_exp_row (
    .t_i(t_row), .x0_i(cfg_x0_i), .n_i(cfg_n_i), .e_o(e2)
  );
  // Registered every cycle; xm_q is final from the first cycle of the pass, and e2c_q is first
  // used one cycle later.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) e2c_q <= '0;
    else         e2c_q <= (e2 > 62'(cfg_div_i)) ? cfg_div_i : e2[31:0];
  end

  // ---------------------------------------------------------------- pass: s1 -> dividers -> out
  logic               rd_on_q, issue, s1_take, out_take;
  logic [AddrW-1:0]   rd_addr;
  logic [Lanes-1:0]   rd_mask;
  logic               rd_last;
  logic               s1_valid_q, s1_last_q;
  logic [Lanes*8-1:0] s1_data_q;
  logic [Lanes-1:0]   s1_mask_q;
  logic [Lanes-1:0]   div_in_ready, div_out_valid;
  logic               out_valid_q, out_last_q;
  logic [Lanes*32-1:0] out_data_q;

  assign s1_take  = s1_valid_q && (&div_in_ready);
  assign issue    = rd_on_q && (!s1_valid_q || s1_take);
  assign out_take = (&div_out_valid) && (!out_valid_q || out_ready_i);

  ivit_row_walk #(.Lanes(Lanes), .MaxCols(MaxCols)) u_rd_walk (
    .clk_i, .rst_ni, .cols_i(cols_q), .step_i(issue),
    .addr_o(rd_addr), .mask_o(rd_mask), .last_o(rd_last)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_last_q  <= 1'b0;
      s1_mask_q  <= '0;
      s1_data_q  <= '0;
    end else if (issue) begin
      s1_valid_q <= 1'b1;
      s1_data_q  <= mem_q[rd_addr];
      s1_mask_q  <= rd_mask;
      s1_last_q  <= rd_last;
    end else if (s1_take) begin
      s1_valid_q <= 1'b0;
    end
  end

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

    assign x = signed'(s1_data_q[8*j +: 8]);
    // Padding lanes use t = 0 (a valid divisor); their results are discarded.
    assign t = s1_mask_q[j] ? (9'(x) - 9'(xm_q)) : 9'sd0;
    ivit_shift_exp #(.TWidth(9), .AllowPositive(1'b0)) u_exp (
      .t_i(t), .x0_i(cfg_x0_i), .n_i(cfg_n_i), .e_o(e1)
    );
    assign s_sum = ((|e1[61:32]) ? (33'd1 << 32) : 33'(e1[31:0])) + 33'(e2c_q);
    assign s_den = (s_sum > 33'(cfg_div_i)) ? cfg_div_i : s_sum[31:0];

    ivit_udiv #(.Width(32), .StepsPerCycle(DivStepsPerCycle)) u_div (
      .clk_i, .rst_ni,
      .in_valid_i(s1_valid_q), .in_ready_o(div_in_ready[j]),
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
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sd_last_q <= 1'b0;
      sd_mask_q <= '0;
    end else if (s1_take) begin
      sd_last_q <= s1_last_q;
      sd_mask_q <= s1_mask_q;
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;
  assign out_last_o  = out_last_q;

  // ---------------------------------------------------------------- control
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StLoad;
      first_q     <= 1'b1;
      cols_q      <= '0;
      xm_q        <= '0;
      rd_on_q     <= 1'b0;
      out_valid_q <= 1'b0;
      out_last_q  <= 1'b0;
      out_data_q  <= '0;
    end else begin
      if (issue && rd_last) rd_on_q <= 1'b0;
      if (out_take) begin
        out_valid_q <= 1'b1;
        out_last_q  <= sd_last_q;
        out_data_q  <= y_beat;
      end else if (out_ready_i) begin
        out_valid_q <= 1'b0;
      end
      unique case (state_q)
        StLoad: begin
          if (in_fire) begin
            xm_q    <= beat_max;
            first_q <= 1'b0;
            if (first_q) cols_q <= cols_i;
            if (wr_last) begin
              state_q <= StProc;
              first_q <= 1'b1;
              rd_on_q <= 1'b1;
            end
          end
        end
        StProc: begin
          if (out_valid_q && out_ready_i && out_last_q) state_q <= StLoad;
        end
        default: state_q <= StLoad;
      endcase
    end
  end

`ifndef SYNTHESIS
  a_cols: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (in_fire && first_q) |-> (cols_i >= 1 && 32'(cols_i) <= MaxCols))
    else $error("ivit_gelu: cols out of range");
  // The lanes' dividers run in lock step.
  a_lockstep: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (div_in_ready == '0 || div_in_ready == '1) && (div_out_valid == '0 || div_out_valid == '1))
    else $error("ivit_gelu: dividers out of step");
  for (genvar j = 0; j < Lanes; j++) begin : g_chk
    a_t: assert property (@(posedge clk_i) disable iff (!rst_ni)
        (s1_valid_q && s1_mask_q[j]) |-> (signed'(s1_data_q[8*j +: 8]) <= xm_q))
      else $error("ivit_gelu: element above the row max");
  end
`endif

endmodule
