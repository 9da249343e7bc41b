// The GEMM array unit: ivit_mesh plus input skew, output de-skew and the weight load/commit
// control (Gemmini's MeshWithDelays). Weight-stationary; streams A rows through a loaded
// R x C weight tile and returns one C-wide row of int32 results per A row.
//
// Computes:   for each A row m of a fold: y[n] = d[n] + sum_{k<R} A[m][k] * W[k][n], n < C,
//             exact modulo 2^32 (no saturation; docs/rtl.md shows legal GEMMs cannot wrap).
//             A GEMM larger than R x C is a sequence of folds (one weight tile each); the
//             caller zero-pads partial folds and accumulates over the K folds.
// Widths:     A lanes AW = 17 signed (int8 sign- or uint16 zero-extended), W lanes int8,
//             d and y lanes int32. Lane i of a packed port is bits [i*W +: W].
// Handshake:
//   w (weight rows): w_valid_i/w_ready_o. A weight tile is exactly R beats, beat j = row k = j
//     of W (W[j][0..C-1]). It is shifted into the PEs' shadow registers while the previous
//     tile computes. w_ready_o is low while a complete tile waits for its commit, and during
//     the MR cycles after a commit (the committing row is still passing the shadow registers).
//   a (A rows with their d): a_valid_i/a_ready_o, a_first_i marks the first row of a fold and
//     commits the most recently loaded weight tile. a_ready_o is low only for a first row whose
//     weight tile is not completely loaded. Bubbles (a_valid_i low) are allowed anywhere.
//   y (results): y_valid_o, no backpressure: the accumulator SRAM accepts every row.
// Latency:    L = MR + MC cycles, MR = R / TR, MC = C / TC: an A row accepted in cycle t gives
//             its y row in cycle t + L, in order. Throughput: one row per cycle.
// Cycles:     a GEMM of F folds of M rows each, driven as fast as the handshakes allow, from
//             the first weight beat (cycle 0) to the last y row, inclusive:
//               R + (F - 1) * max(M, MR + R) + M + L
//             (docs/rtl.md derives it; testbench checks it on every GEMM).
// Reset:      rst_ni clears the control (counters, flags, valids); data registers are unreset.
module ivit_array #(
  parameter int unsigned R    = 16,
  parameter int unsigned C    = 16,
  parameter int unsigned TR   = 1,
  parameter int unsigned TC   = 1,
  parameter int unsigned AW   = ivit_isa_pkg::AW,
  parameter int unsigned BW   = ivit_isa_pkg::BW,
  parameter int unsigned AccW = ivit_isa_pkg::AccW
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // weight rows
  input  logic              w_valid_i,
  output logic              w_ready_o,
  input  logic [C*BW-1:0]   w_data_i,
  // A rows, the partial sums that enter with them, and the fold marker
  input  logic              a_valid_i,
  output logic              a_ready_o,
  input  logic              a_first_i,
  input  logic [R*AW-1:0]   a_data_i,
  input  logic [C*AccW-1:0] d_data_i,
  // result rows
  output logic              y_valid_o,
  output logic [C*AccW-1:0] y_data_o
);

  localparam int unsigned MR = R / TR;
  localparam int unsigned MC = C / TC;
  localparam int unsigned L = MR + MC;
  localparam int unsigned WCntW = $clog2(R + 1);
  localparam int unsigned AgeW = $clog2(MR + 1);

  // ---- control --------------------------------------------------------------------------
  logic [WCntW-1:0] w_cnt_q;  // rows of the next tile in the shadow registers, 0..R
  logic [AgeW-1:0]  age_q;    // cycles since the last commit, saturating at MR
  logic             w_full;
  logic             w_accept;
  logic             a_accept;
  logic             commit;

  assign w_full    = (w_cnt_q == WCntW'(R));
  assign w_ready_o = !w_full && (age_q == AgeW'(MR));
  assign a_ready_o = !a_first_i || w_full;
  assign w_accept  = w_valid_i && w_ready_o;
  assign a_accept  = a_valid_i && a_ready_o;
  assign commit    = a_accept && a_first_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_cnt_q <= '0;
      age_q   <= AgeW'(MR);
    end else begin
      if (commit) begin
        w_cnt_q <= '0;
      end else if (w_accept) begin
        w_cnt_q <= w_cnt_q + WCntW'(1);
      end
      if (commit) begin
        age_q <= AgeW'(1);
      end else if (age_q != AgeW'(MR)) begin
        age_q <= age_q + AgeW'(1);
      end
    end
  end

  // ---- input skew: row r by r / TR cycles, column c by c / TC cycles ----------------------
  logic [R*AW-1:0]   a_sk;
  logic [R-1:0]      k_sk;
  logic [C*AccW-1:0] d_sk;
  logic [C*BW-1:0]   w_sk;
  logic [C-1:0]      s_sk;

  for (genvar r = 0; r < R; r++) begin : gen_a_skew
    ivit_delay #(
      .Width(AW),
      .Depth(r / TR)
    ) u_a (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .x_i   (a_data_i[r*AW +: AW]),
      .y_o   (a_sk[r*AW +: AW])
    );
    ivit_delay #(
      .Width(1),
      .Depth(r / TR),
      .Reset(1'b1)
    ) u_commit (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .x_i   (commit),
      .y_o   (k_sk[r])
    );
  end

  for (genvar c = 0; c < C; c++) begin : gen_c_skew
    ivit_delay #(
      .Width(AccW),
      .Depth(c / TC)
    ) u_d (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .x_i   (d_data_i[c*AccW +: AccW]),
      .y_o   (d_sk[c*AccW +: AccW])
    );
    ivit_delay #(
      .Width(BW),
      .Depth(c / TC)
    ) u_w (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .x_i   (w_data_i[c*BW +: BW]),
      .y_o   (w_sk[c*BW +: BW])
    );
    ivit_delay #(
      .Width(1),
      .Depth(c / TC),
      .Reset(1'b1)
    ) u_shift (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .x_i   (w_accept),
      .y_o   (s_sk[c])
    );
  end

  // ---- mesh ------------------------------------------------------------------------------
  logic [C*AccW-1:0] p_out;

  ivit_mesh #(
    .R   (R),
    .C   (C),
    .TR  (TR),
    .TC  (TC),
    .AW  (AW),
    .BW  (BW),
    .AccW(AccW)
  ) u_mesh (
    .clk_i    (clk_i),
    .a_i      (a_sk),
    .commit_i (k_sk),
    .psum_i   (d_sk),
    .w_shift_i(s_sk),
    .w_i      (w_sk),
    .psum_o   (p_out)
  );

  // ---- output de-skew: column c by MC - 1 - c / TC cycles --------------------------------
  for (genvar c = 0; c < C; c++) begin : gen_deskew
    ivit_delay #(
      .Width(AccW),
      .Depth(MC - 1 - c / TC)
    ) u_y (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .x_i   (p_out[c*AccW +: AccW]),
      .y_o   (y_data_o[c*AccW +: AccW])
    );
  end

  ivit_delay #(
    .Width(1),
    .Depth(L),
    .Reset(1'b1)
  ) u_y_valid (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .x_i   (a_accept),
    .y_o   (y_valid_o)
  );

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage"). The array does not know a tile's real size:
  // the driver zero-pads partial folds, which the two "partial" points see as a beat whose last
  // lane is 0 while lane 0 is not.
  cp_w_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      w_valid_i && !w_ready_o);
  cp_a_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
      a_valid_i && !a_ready_o);
  cp_a_bubble: cover property (@(posedge clk_i) disable iff (!rst_ni)
      !a_valid_i && w_full);
  cp_partial_n_tile: cover property (@(posedge clk_i) disable iff (!rst_ni)
      w_accept && w_data_i[(C-1)*BW +: BW] == '0 && w_data_i[0 +: BW] != '0);
  cp_partial_k_tile: cover property (@(posedge clk_i) disable iff (!rst_ni)
      a_accept && a_data_i[(R-1)*AW +: AW] == '0 && a_data_i[0 +: AW] != '0);
  cp_a_uint16: cover property (@(posedge clk_i) disable iff (!rst_ni)
      a_accept && !a_data_i[AW-1] && a_data_i[AW-2:7] != '0);
`endif

endmodule
