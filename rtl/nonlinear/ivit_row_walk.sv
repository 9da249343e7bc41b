// Beat counter over one row of a row buffer, shared by the nonlinear units.
//
// A row of cols elements occupies ceil(cols / Lanes) beats of Lanes elements at buffer
// addresses 0, 1, ...; the last beat may be partial. The walker presents the current beat's
// address, its lane mask (lane j holds element idx + j, valid if idx + j < cols) and whether it
// is the row's last beat. step_i moves to the next beat; stepping past the last beat wraps to
// beat 0, so a walker needs no restart between rows or passes.
//
// Latency:    outputs are combinational from the registered beat index and cols_i.
// Widths:     the element index is below MaxCols, so $clog2(MaxCols + 1) bits hold it; the lane
//             compare adds one bit for idx + Lanes.
// Range:      cols_i in [1, MaxCols], stable from the first step of a row to its last.
module ivit_row_walk #(
  parameter int unsigned Lanes = 1,
  parameter int unsigned MaxCols = 256,
  localparam int unsigned ColsW = $clog2(MaxCols + 1),
  localparam int unsigned Beats = (MaxCols + Lanes - 1) / Lanes,
  localparam int unsigned AddrW = (Beats > 1) ? $clog2(Beats) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [ColsW-1:0] cols_i,
  input  logic             step_i,
  output logic [AddrW-1:0] addr_o,
  output logic [Lanes-1:0] mask_o,
  output logic             last_o
);

  logic [AddrW-1:0] addr_q;
  logic [ColsW-1:0] idx_q;  // element index of lane 0

  assign addr_o = addr_q;
  assign last_o = ({1'b0, idx_q} + (ColsW + 1)'(Lanes)) >= {1'b0, cols_i};

  always_comb begin
    for (int unsigned j = 0; j < Lanes; j++) begin
      mask_o[j] = ({1'b0, idx_q} + (ColsW + 1)'(j)) < {1'b0, cols_i};
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      addr_q <= '0;
      idx_q  <= '0;
    end else if (step_i) begin
      addr_q <= last_o ? '0 : addr_q + 1'b1;
      idx_q  <= last_o ? '0 : idx_q + ColsW'(Lanes);
    end
  end

endmodule
