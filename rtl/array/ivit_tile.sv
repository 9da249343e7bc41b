// A TR x TC block of PEs with no registers between them (Gemmini's Tile).
//
// A and commit flow left to right through TC PEs, partial sums top to bottom through TR PEs,
// all combinationally within one cycle; the weight shift chain runs bottom to top through the
// PEs' shadow registers. ivit_mesh registers the tile's inputs, so a larger tile trades a
// longer combinational path for fewer pipeline registers and a shorter fill/drain.
// Latency:    combinational (weights update on the clock edge).
// Ports:      packed, lane i at [i*W +: W]: a_i/commit_i lane r enter row r, a_o/commit_o
//             leave it; psum_i lane c enters column c, psum_o leaves it; w_i lane c enters the
//             bottom PE of column c, w_o leaves the top one; w_shift_i[c] shifts column c.
//             Inside, the interconnect is unpacked (one variable per PE link), which Verilator
//             simulates far faster than wide packed vectors.
module ivit_tile #(
  parameter int unsigned TR   = 1,
  parameter int unsigned TC   = 1,
  parameter int unsigned AW   = ivit_isa_pkg::AW,
  parameter int unsigned BW   = ivit_isa_pkg::BW,
  parameter int unsigned AccW = ivit_isa_pkg::AccW
) (
  input  logic                 clk_i,
  input  logic [TR*AW-1:0]     a_i,
  input  logic [TR-1:0]        commit_i,
  output logic [TR*AW-1:0]     a_o,
  output logic [TR-1:0]        commit_o,
  input  logic [TC*AccW-1:0]   psum_i,
  output logic [TC*AccW-1:0]   psum_o,
  input  logic [TC-1:0]        w_shift_i,
  input  logic [TC*BW-1:0]     w_i,
  output logic [TC*BW-1:0]     w_o
);

  // Interconnect: a_h[r][c] enters PE (r, c) from the left, p_v[r][c] from above, w_v[r][c]
  // from below (w_v[TR][c] is the tile's bottom input).
  logic signed [AW-1:0]   a_h [TR][TC+1];
  logic                   k_h [TR][TC+1];
  logic signed [AccW-1:0] p_v [TR+1][TC];
  logic signed [BW-1:0]   w_v [TR+1][TC];

  for (genvar r = 0; r < TR; r++) begin : gen_row_io
    assign a_h[r][0]          = a_i[r*AW +: AW];
    assign k_h[r][0]          = commit_i[r];
    assign a_o[r*AW +: AW]    = a_h[r][TC];
    assign commit_o[r]        = k_h[r][TC];
  end
  for (genvar c = 0; c < TC; c++) begin : gen_col_io
    assign p_v[0][c]              = psum_i[c*AccW +: AccW];
    assign psum_o[c*AccW +: AccW] = p_v[TR][c];
    assign w_v[TR][c]             = w_i[c*BW +: BW];
    assign w_o[c*BW +: BW]        = w_v[0][c];
  end

  for (genvar r = 0; r < TR; r++) begin : gen_row
    for (genvar c = 0; c < TC; c++) begin : gen_col
      ivit_pe #(
        .AW  (AW),
        .BW  (BW),
        .AccW(AccW)
      ) u_pe (
        .clk_i    (clk_i),
        .a_i      (a_h[r][c]),
        .commit_i (k_h[r][c]),
        .a_o      (a_h[r][c+1]),
        .commit_o (k_h[r][c+1]),
        .psum_i   (p_v[r][c]),
        .psum_o   (p_v[r+1][c]),
        .w_shift_i(w_shift_i[c]),
        .w_i      (w_v[r+1][c]),
        .w_o      (w_v[r][c])
      );
    end
  end

endmodule
