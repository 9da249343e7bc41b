// Weight-stationary processing element: a MAC plus a double-buffered weight.
//
// Dataflow:   A enters from the left and leaves to the right unchanged; the partial sum enters
//             from above and leaves below with a_i * w added. Both paths are combinational
//             here; the pipeline registers sit between tiles (ivit_mesh), as in Gemmini's PE.
// Weights:    two registers. `shadow` belongs to a column-wide shift chain that moves weights
//             upward (w_i from the PE below, w_o to the PE above) in cycles with w_shift_i.
//             `active` feeds the MAC. A beat with commit_i (the first A row of a new weight
//             tile; the flag travels with A) copies shadow into active and already uses the
//             new weight for itself, so consecutive tiles need no bubble.
// Widths:     ivit_mac.
// Latency:    combinational A and psum paths; weights update on the clock edge.
// Reset:      none; the weights are data and are always loaded and committed before use.
module ivit_pe #(
  parameter int unsigned AW   = ivit_isa_pkg::AW,
  parameter int unsigned BW   = ivit_isa_pkg::BW,
  parameter int unsigned AccW = ivit_isa_pkg::AccW
) (
  input  logic                   clk_i,
  // A operand, left to right
  input  logic signed [AW-1:0]   a_i,
  input  logic                   commit_i,
  output logic signed [AW-1:0]   a_o,
  output logic                   commit_o,
  // partial sum, top to bottom
  input  logic signed [AccW-1:0] psum_i,
  output logic signed [AccW-1:0] psum_o,
  // weight shift chain, bottom to top
  input  logic                   w_shift_i,
  input  logic signed [BW-1:0]   w_i,
  output logic signed [BW-1:0]   w_o
);

  logic signed [BW-1:0] shadow_q;
  logic signed [BW-1:0] active_q;
  logic signed [BW-1:0] w_use;

  assign w_use = commit_i ? shadow_q : active_q;

  always_ff @(posedge clk_i) begin
    if (w_shift_i) begin
      shadow_q <= w_i;
    end
    if (commit_i) begin
      active_q <= shadow_q;
    end
  end

  ivit_mac #(
    .AW  (AW),
    .BW  (BW),
    .AccW(AccW)
  ) u_mac (
    .a_i   (a_i),
    .b_i   (w_use),
    .psum_i(psum_i),
    .psum_o(psum_o)
  );

  assign a_o      = a_i;
  assign commit_o = commit_i;
  assign w_o      = shadow_q;

endmodule
