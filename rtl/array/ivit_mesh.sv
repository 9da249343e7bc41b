// The systolic mesh: MR x MC tiles (R = MR * TR rows, C = MC * TC columns of PEs) with a
// pipeline register on every tile input (Gemmini's Mesh). Weight-stationary.
//
// Dataflow:   row r holds the weights of reduction index k = r, column c those of output n = c.
//             a_i[r] is A[m][k = r]; psum_i[c] is the partial sum entering column c (the bias or
//             zero); psum_o[c] = psum_i[c] + sum_r a[r] * w[r][c] for the same m.
// Timing:     the caller skews its inputs: the values of one A row m must reach tile (tr, tc)
//             in the same cycle as its partial sum, so a_i/commit_i of row r are presented tr =
//             r / TR cycles late and psum_i/w_i/w_shift_i of column c tc = c / TC cycles late
//             (ivit_array does this). A value presented in cycle t reaches tile (tr, tc) in cycle
//             t + tr + tc + 1 (counting the skew from the row's own start), and psum_o[c] of a row
//             presented in cycle t (unskewed) is valid in cycle t + MR + tc + 1.
// Weights:    w_i[c] enters the bottom PE of column c; each cycle with w_shift_i[c] moves the
//             whole column's shadow chain up by one, so R shifts place the j-th value in row j.
//             commit_i makes each PE switch to its shadow weight as the flagged row passes.
// Ports:      packed, lane i at [i*W +: W]; one unpacked entry per tile inside.
// Reset:      none; no state here is control.
module ivit_mesh #(
  parameter int unsigned R    = 16,
  parameter int unsigned C    = 16,
  parameter int unsigned TR   = 1,
  parameter int unsigned TC   = 1,
  parameter int unsigned AW   = ivit_isa_pkg::AW,
  parameter int unsigned BW   = ivit_isa_pkg::BW,
  parameter int unsigned AccW = ivit_isa_pkg::AccW
) (
  input  logic               clk_i,
  input  logic [R*AW-1:0]    a_i,
  input  logic [R-1:0]       commit_i,
  input  logic [C*AccW-1:0]  psum_i,
  input  logic [C-1:0]       w_shift_i,
  input  logic [C*BW-1:0]    w_i,
  output logic [C*AccW-1:0]  psum_o
);

  localparam int unsigned MR = R / TR;
  localparam int unsigned MC = C / TC;

  // Registered tile inputs (_q) and tile outputs (_t), one unpacked entry per tile.
  logic [TR*AW-1:0]   a_q [MR][MC];
  logic [TR-1:0]      k_q [MR][MC];
  logic [TC*AccW-1:0] p_q [MR][MC];
  logic [TR*AW-1:0]   a_t [MR][MC];
  logic [TR-1:0]      k_t [MR][MC];
  logic [TC*AccW-1:0] p_t [MR][MC];
  logic [TC*BW-1:0]   w_t [MR][MC];  // top of each tile's weight chains
  logic [TC*BW-1:0]   w_b [MR][MC];  // bottom input of each tile's weight chains
  logic [TC*AccW-1:0] out_q [MC];

  for (genvar tr = 0; tr < MR; tr++) begin : gen_tr
    for (genvar tc = 0; tc < MC; tc++) begin : gen_tc
      // A and commit from the left, partial sums from above.
      if (tc == 0) begin : gen_left
        always_ff @(posedge clk_i) begin
          a_q[tr][tc] <= a_i[tr*TR*AW +: TR*AW];
          k_q[tr][tc] <= commit_i[tr*TR +: TR];
        end
      end else begin : gen_inner_a
        always_ff @(posedge clk_i) begin
          a_q[tr][tc] <= a_t[tr][tc-1];
          k_q[tr][tc] <= k_t[tr][tc-1];
        end
      end
      if (tr == 0) begin : gen_top
        always_ff @(posedge clk_i) begin
          p_q[tr][tc] <= psum_i[tc*TC*AccW +: TC*AccW];
        end
      end else begin : gen_inner_p
        always_ff @(posedge clk_i) begin
          p_q[tr][tc] <= p_t[tr-1][tc];
        end
      end

      // Weights from below: the mesh input for the bottom tile row, else the tile underneath.
      if (tr == MR - 1) begin : gen_bottom
        assign w_b[tr][tc] = w_i[tc*TC*BW +: TC*BW];
      end else begin : gen_inner_w
        assign w_b[tr][tc] = w_t[tr+1][tc];
      end

      ivit_tile #(
        .TR  (TR),
        .TC  (TC),
        .AW  (AW),
        .BW  (BW),
        .AccW(AccW)
      ) u_tile (
        .clk_i    (clk_i),
        .a_i      (a_q[tr][tc]),
        .commit_i (k_q[tr][tc]),
        .a_o      (a_t[tr][tc]),
        .commit_o (k_t[tr][tc]),
        .psum_i   (p_q[tr][tc]),
        .psum_o   (p_t[tr][tc]),
        .w_shift_i(w_shift_i[tc*TC +: TC]),
        .w_i      (w_b[tr][tc]),
        .w_o      (w_t[tr][tc])
      );
    end
  end

  for (genvar tc = 0; tc < MC; tc++) begin : gen_out
    always_ff @(posedge clk_i) begin
      out_q[tc] <= p_t[MR-1][tc];
    end
    assign psum_o[tc*TC*AccW +: TC*AccW] = out_q[tc];
  end

  // The rightmost tiles' A and commit outputs and the top tiles' weight outputs leave the mesh
  // unused.
  for (genvar tr = 0; tr < MR; tr++) begin : gen_unused_right
    logic unused_right;
    assign unused_right = (^k_t[tr][MC-1]) ^ (^a_t[tr][MC-1]);
  end
  for (genvar tc = 0; tc < MC; tc++) begin : gen_unused_top
    logic unused_top;
    assign unused_top = ^w_t[0][tc];
  end

endmodule
