// I-LayerNorm, row by row; model::IntLayerNorm of model/ops/layer_norm.h, bit for bit.
//
// Computes:   per row of C = cols int16 values:
//               mean = round(sum x / C)                      ties to even (RoundingDivHalfEven)
//               y = x - mean;  var = sum y^2
//               k = NewtonIsqrtFloor(var, iters, init)       k = (k + var / k) >> 1, iters times
//               f = floor(div / k)
//               out_c = floor(y_c * f / 2) + bias_c          int64
// Rounding:   half-even for the mean, floor elsewhere (as the C++).
// Saturation: none; every intermediate is exact (widths below).
// Range:      cols_i in [1, MaxCols]; div in [1, 2^31]; iters in [0, 62] with
//             2^iters <= init < 2^VarW (IsValidNewtonParams, and init fits k's register);
//             |bias| < 2^62 (CheckLayerNormParams).
//
// Interface:  cfg_* quasi-static for a whole row. Rows enter as ceil(C/Lanes) beats of Lanes
//             int16 and leave as as many beats of Lanes int64 (padding lanes 0) with
//             out_last_o on the last; cols_i is sampled with the first input beat. The bias
//             arrives on its own valid/ready stream, one beat of Lanes int64 (bias_c for the
//             same lanes as the output beat) per output beat, and is consumed as that output
//             beat is formed. No combinational path from any valid to any ready or valid.
//
// Phases:     load (store the row, sum) -> mean (one divide, |sum| / C, then the sign and
//             half-even fix-up) -> variance pass (re-read, y^2, accumulate) -> iters Newton
//             divides var / k -> f = div / k -> output pass (re-read, y * f >> 1, + bias).
//             One ivit_udiv serves all divides; each runs only the quotient bits its
//             dividend can have, and the next divide starts in the cycle a result arrives. The
//             row buffer with its walks is ivit_row_buf, the output register ivit_out_beat.
// Latency:    with B = ceil(C / Lanes), S = DivStepsPerCycle, Dm = ceil(MeanSteps / S),
//             Dv = ceil(VarW / S), Df = ceil(32 / S): back-to-back input, bias always valid
//             and output never stalled give the row's last output beat
//             3*B + Dm + iters*(Dv + 1) + Df + 8 cycles after its first input beat.
// Throughput: one row every 3*B + Dm + iters*(Dv + 1) + Df + 9 cycles (rows do not overlap).
//
// Widths:     Lg = $clog2(MaxCols).
//             sum: |sum| <= C * 2^15, SumW = 17 + Lg signed; its magnitude has
//               MeanSteps = 16 + Lg bits. mean lies between the row's min and max: int16.
//             y = x - mean: |y| <= 2^16 - 1, 17 bits signed; y^2 < 2^32.
//             var < C * 2^32: VarW = 32 + Lg bits (docs/arithmetic.md bounds var by 2^54 for
//               C <= 2^20; MaxCols sets the actual width here).
//             k <= max(init, var) < 2^VarW, because (k + var/k)/2 <= max(k, var/k) and
//               var/k <= var for k >= 1; k + var/k needs VarW + 1 bits.
//             f = div / k <= 2^31 (k >= 1), 32 bits. |y * f| < 2^16 * 2^31 = 2^47, and
//               (y*f >> 1) + bias is exact in 64 bits for |bias| < 2^62.
module ivit_layernorm #(
  parameter int unsigned Lanes = 1,
  parameter int unsigned MaxCols = 1024,
  parameter int unsigned DivStepsPerCycle = 1,
  localparam int unsigned ColsW = $clog2(MaxCols + 1),
  localparam int unsigned VarW = 32 + $clog2(MaxCols)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,

  input  logic        [31:0]      cfg_div_i,
  input  logic        [5:0]       cfg_sqrt_iters_i,
  input  logic        [VarW-1:0]  cfg_sqrt_init_i,
  input  logic        [ColsW-1:0] cols_i,

  input  logic                    in_valid_i,
  output logic                    in_ready_o,
  input  logic [Lanes*16-1:0]     in_data_i,

  input  logic                    bias_valid_i,
  output logic                    bias_ready_o,
  input  logic [Lanes*64-1:0]     bias_data_i,

  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [Lanes*64-1:0]     out_data_o,
  output logic                    out_last_o
);

  localparam int unsigned Lg        = $clog2(MaxCols);
  localparam int unsigned SumW      = 17 + Lg;
  localparam int unsigned MeanSteps = 16 + Lg;
  localparam int unsigned StepsW    = $clog2(VarW + 1);
  localparam int unsigned VarAccW   = VarW + 1;  // var_q + one beat, before the (exact) fit

  typedef enum logic [2:0] {StLoad, StMean, StVar, StNewton, StFdiv, StOut} state_e;

  state_e                    state_q;
  logic [ColsW-1:0]          cols;  // the row's length (registered in u_buf)
  logic signed [SumW-1:0]    sum_q;
  logic signed [15:0]        mean_q;
  logic [VarW-1:0]           var_q, k_q;
  logic [31:0]               f_q;
  logic [5:0]                iter_q;

  // ---------------------------------------------------------------- row buffer and sum
  // Load: the buffer's write side and the running sum. Passes: issue (the buffer's read walk)
  // -> s1 (the buffer's read register) -> s2 (y^2 or y * f / 2) -> variance or output register.
  logic                   in_fire, wr_first, wr_last, rd_start, en, out_free, out_done;
  logic [Lanes-1:0]       wr_mask;
  logic                   s1_valid, s1_last;
  logic [Lanes*16-1:0]    s1_data;
  logic [Lanes-1:0]       s1_mask;
  logic                   div_out_valid;
  logic signed [SumW-1:0] beat_sum;

  assign in_ready_o = (state_q == StLoad);
  assign in_fire    = in_valid_i && in_ready_o;
  assign rd_start   = div_out_valid && (state_q == StMean || state_q == StFdiv);

  ivit_row_buf #(.Lanes(Lanes), .MaxCols(MaxCols), .ElemW(16)) u_buf (
    .clk_i, .rst_ni, .cols_i, .cols_o(cols),
    .wr_en_i(in_fire), .wr_data_i(in_data_i),
    .wr_first_o(wr_first), .wr_mask_o(wr_mask), .wr_last_o(wr_last),
    .rd_start_i(rd_start), .rd_adv_i(en),
    .rd_valid_o(s1_valid), .rd_data_o(s1_data), .rd_mask_o(s1_mask), .rd_last_o(s1_last)
  );

  always_comb begin
    beat_sum = wr_first ? '0 : sum_q;
    for (int unsigned j = 0; j < Lanes; j++) begin
      if (wr_mask[j]) beat_sum = beat_sum + SumW'(signed'(in_data_i[16*j +: 16]));
    end
  end

  // ---------------------------------------------------------------- the divider
  logic                div_in_valid, div_in_ready, div_req_q;
  logic [VarW-1:0]     div_num, div_den, div_quo, div_rem;
  logic [StepsW-1:0]   div_steps;
  logic [VarW-1:0]     k_new;
  logic                newton_more;  // another Newton step follows the one arriving now
  logic [MeanSteps-1:0] sum_abs;
  logic                 unused_rem_hi;

  assign sum_abs       = MeanSteps'(sum_q[SumW-1] ? -sum_q : sum_q);  // < 2^MeanSteps
  assign unused_rem_hi = ^div_rem[VarW-1:ColsW];  // the mean's remainder is below C
  assign k_new       = VarW'(({1'b0, k_q} + {1'b0, div_quo}) >> 1);
  assign newton_more = (iter_q + 6'd1) < cfg_sqrt_iters_i;

  always_comb begin
    div_in_valid = div_req_q;
    div_den      = k_q;
    div_num      = var_q;
    div_steps    = StepsW'(VarW);
    unique case (state_q)
      StMean: begin
        div_num   = VarW'(sum_abs) << (VarW - MeanSteps);
        div_den   = VarW'(cols);
        div_steps = StepsW'(MeanSteps);
      end
      StNewton: begin
        if (div_out_valid) begin  // chain the next divide onto the arriving result
          div_in_valid = 1'b1;
          div_den      = k_new;
        end
        if (div_out_valid && !newton_more) begin
          div_num   = VarW'(cfg_div_i) << (VarW - 32);
          div_steps = StepsW'(32);
        end
      end
      StFdiv: begin
        div_num   = VarW'(cfg_div_i) << (VarW - 32);
        div_steps = StepsW'(32);
      end
      default: ;
    endcase
  end

  ivit_udiv #(.Width(VarW), .StepsPerCycle(DivStepsPerCycle)) u_div (
    .clk_i, .rst_ni,
    .in_valid_i(div_in_valid), .in_ready_o(div_in_ready),
    .num_i(div_num), .den_i(div_den), .steps_i(div_steps),
    .out_valid_o(div_out_valid), .out_ready_i(1'b1),
    .quo_o(div_quo), .rem_o(div_rem)
  );

  // Mean from |sum| = qa * C + ra: floor(sum / C) and its remainder in [0, C), then half-even.
  logic signed [SumW-1:0] mean_floor;
  logic [ColsW-1:0]       mean_rem;
  logic                   mean_up;
  logic signed [15:0]     mean_full;  // between the row's min and max
  always_comb begin
    logic [SumW-1:0] qa;
    logic [ColsW-1:0] ra;
    qa = SumW'(div_quo);
    ra = ColsW'(div_rem);
    if (sum_q[SumW-1] && ra != '0) begin
      mean_floor = -signed'(qa + 1'b1);
      mean_rem   = cols - ra;
    end else begin
      mean_floor = sum_q[SumW-1] ? -signed'(qa) : signed'(qa);
      mean_rem   = ra;
    end
    mean_up   = ({mean_rem, 1'b0} > {1'b0, cols}) ||
                ({mean_rem, 1'b0} == {1'b0, cols} && mean_floor[0]);
    mean_full = 16'(mean_floor + SumW'(mean_up));
  end

  // ---------------------------------------------------------------- passes: s1 -> s2
  logic             s2_valid_q, s2_last_q;
  logic [Lanes-1:0] s2_mask_q;

  assign en           = (state_q != StOut) || (out_free && (!s2_valid_q || bias_valid_i));
  assign bias_ready_o = (state_q == StOut) && s2_valid_q && out_free;

  // s2 holds y^2 (variance pass) or floor(y * f / 2) (output pass) per lane.
  logic [31:0]        s2_sq_q   [Lanes];
  logic signed [46:0] s2_half_q [Lanes];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s2_valid_q <= 1'b0;
      s2_last_q  <= 1'b0;
      s2_mask_q  <= '0;
      for (int unsigned j = 0; j < Lanes; j++) begin
        s2_sq_q[j]   <= '0;
        s2_half_q[j] <= '0;
      end
    end else if (en) begin
      s2_valid_q <= s1_valid;
      s2_last_q  <= s1_last;
      s2_mask_q  <= s1_mask;
      for (int unsigned j = 0; j < Lanes; j++) begin
        logic signed [16:0] y;
        logic [31:0]        sq;
        logic signed [47:0] p;
        y  = 17'(signed'(s1_data[16*j +: 16])) - 17'(mean_q);
        sq = 32'(34'(y) * 34'(y));              // < 2^32
        p  = 48'(y) * signed'({16'd0, f_q});    // |y * f| < 2^47
        s2_sq_q[j]   <= sq;
        s2_half_q[j] <= 47'(p >>> 1);
      end
    end
  end

  logic [VarAccW-1:0] var_next;
  always_comb begin
    var_next = VarAccW'(var_q);
    for (int unsigned j = 0; j < Lanes; j++) begin
      if (s2_mask_q[j]) var_next = var_next + VarAccW'(s2_sq_q[j]);
    end
  end

  logic [Lanes*64-1:0] out_beat;
  always_comb begin
    for (int unsigned j = 0; j < Lanes; j++) begin
      out_beat[64*j +: 64] = s2_mask_q[j] ? (64'(s2_half_q[j]) + bias_data_i[64*j +: 64]) : '0;
    end
  end

  ivit_out_beat #(.Width(Lanes * 64)) u_out (
    .clk_i, .rst_ni,
    .load_i(state_q == StOut && en), .valid_i(s2_valid_q), .last_i(s2_last_q), .data_i(out_beat),
    .free_o(out_free), .taken_last_o(out_done),
    .valid_o(out_valid_o), .ready_i(out_ready_i), .data_o(out_data_o), .last_o(out_last_o)
  );

  // ---------------------------------------------------------------- control
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= StLoad;
      sum_q     <= '0;
      mean_q    <= '0;
      var_q     <= '0;
      k_q       <= '0;
      f_q       <= '0;
      iter_q    <= '0;
      div_req_q <= 1'b0;
    end else begin
      if (div_req_q && div_in_ready) div_req_q <= 1'b0;
      unique case (state_q)
        StLoad: begin
          if (in_fire) begin
            sum_q <= beat_sum;
            if (wr_last) begin
              state_q   <= StMean;
              div_req_q <= 1'b1;
            end
          end
        end
        StMean: begin
          if (div_out_valid) begin
            mean_q  <= mean_full;
            var_q   <= '0;
            state_q <= StVar;
          end
        end
        StVar: begin
          if (s2_valid_q) begin
            var_q <= VarW'(var_next);
            if (s2_last_q) begin
              k_q       <= cfg_sqrt_init_i;
              iter_q    <= '0;
              div_req_q <= 1'b1;
              state_q   <= (cfg_sqrt_iters_i == '0) ? StFdiv : StNewton;
            end
          end
        end
        StNewton: begin
          if (div_out_valid) begin
            k_q    <= k_new;
            iter_q <= iter_q + 6'd1;
            if (!newton_more) state_q <= StFdiv;
          end
        end
        StFdiv: begin
          if (div_out_valid) begin
            f_q     <= 32'(div_quo);
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
  a_init: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (state_q == StVar && s2_valid_q && s2_last_q) |->
      (cfg_sqrt_iters_i <= 6'd62 && (VarW'(1) << cfg_sqrt_iters_i) <= cfg_sqrt_init_i))
    else $error("ivit_layernorm: Newton parameters out of range");
  a_var: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (state_q == StVar && s2_valid_q) |-> (var_next[VarW] == 1'b0))
    else $error("ivit_layernorm: variance overflow");
  a_k: assert property (@(posedge clk_i) disable iff (!rst_ni)
      div_in_valid |-> (div_den != '0))
    else $error("ivit_layernorm: zero divisor");
`endif

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage"): the mean's ties and negative remainders, a
  // zero variance, Newton's edge iteration counts and its range, the bias stream, back-pressure.
  logic mean_done, var_done, newton_step;
  assign mean_done   = state_q == StMean && div_out_valid;
  assign var_done    = state_q == StVar && s2_valid_q && s2_last_q;
  assign newton_step = state_q == StNewton && div_out_valid;
  cp_mean_tie_even_up: cover property (@(posedge clk_i) disable iff (!rst_ni)
      mean_done && {mean_rem, 1'b0} == {1'b0, cols} && mean_floor[0]);
  cp_mean_tie_even_down: cover property (@(posedge clk_i) disable iff (!rst_ni)
      mean_done && {mean_rem, 1'b0} == {1'b0, cols} && !mean_floor[0]);
  cp_mean_neg_remainder: cover property (@(posedge clk_i) disable iff (!rst_ni)
      mean_done && sum_q[SumW-1] && ColsW'(div_rem) != '0);
  cp_var_zero: cover property (@(posedge clk_i) disable iff (!rst_ni)
      var_done && var_next == '0);
  cp_newton_iters_zero: cover property (@(posedge clk_i) disable iff (!rst_ni)
      var_done && cfg_sqrt_iters_i == '0);
  cp_newton_iters_one: cover property (@(posedge clk_i) disable iff (!rst_ni)
      var_done && cfg_sqrt_iters_i == 6'd1);
  cp_newton_k_rises: cover property (@(posedge clk_i) disable iff (!rst_ni)
      newton_step && k_new > k_q);
  cp_newton_not_converged: cover property (@(posedge clk_i) disable iff (!rst_ni)
      newton_step && !newton_more && k_new != k_q);
  cp_newton_k_one: cover property (@(posedge clk_i) disable iff (!rst_ni)
      state_q == StFdiv && div_out_valid && k_q == VarW'(1));
  cp_bias_wait: cover property (@(posedge clk_i) disable iff (!rst_ni)
      state_q == StOut && s2_valid_q && out_free && !bias_valid_i);
  cp_bias_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      bias_valid_i && !bias_ready_o);
  cp_in_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      in_valid_i && !in_ready_o);
  cp_out_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      out_valid_o && !out_ready_i);
`endif

endmodule
