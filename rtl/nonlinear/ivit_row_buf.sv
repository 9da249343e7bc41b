// Row buffer of the nonlinear units: one row, written once as it arrives and read back in
// passes, each side walked by its own ivit_row_walk.
//
// Computes:   beat b of a row (elements b*Lanes .. b*Lanes + Lanes-1) is stored at address b as
//             it is written, and a pass reads beats 0, 1, ..., ceil(cols/Lanes) - 1 back in
//             order into a one-beat read register, with each beat's lane mask and last flag.
// Interface:  write side: wr_en_i writes wr_data_i as the row's next beat. wr_first_o is high
//             until a row's first beat is written; cols_i is sampled with that beat and held
//             in cols_o until the next row's first beat. wr_mask_o (lane j holds an element of
//             the row) and wr_last_o (the row's last beat) describe the beat being written.
//             Read side: rd_start_i starts a pass over the row (at the earliest in the cycle
//             the row's last beat is written, and only when no pass is running). The read
//             register advances when rd_adv_i is high: it takes the pass's next beat if one
//             remains (the "issue") and is empty otherwise; while rd_adv_i is low it holds. A unit that stalls its whole
//             pipeline drives rd_adv_i with its enable; a unit whose next stage takes beats by
//             handshake drives !rd_valid_o || taken. The units never write during a pass.
// Latency:    the read register holds a beat the cycle after the beat is issued; the first beat
//             of a pass can be issued the cycle after rd_start_i. wr_mask_o and wr_last_o are
//             combinational from cols_i and the registered write index; no other output has a
//             combinational input path (rd_valid_o etc. and cols_o are registers).
// Throughput: one beat per cycle on each side.
// Widths:     Beats = ceil(MaxCols / Lanes) words of Lanes * ElemW bits, AddrW bits address them;
//             cols needs $clog2(MaxCols + 1) bits (ivit_row_walk).
// Range:      cols_i in [1, MaxCols] (asserted). The buffer words are not reset (a pass reads
//             only beats of the row just written); the flags and the read register are.
module ivit_row_buf #(
  parameter int unsigned Lanes = 1,
  parameter int unsigned MaxCols = 256,
  parameter int unsigned ElemW = 8,
  localparam int unsigned ColsW = $clog2(MaxCols + 1),
  localparam int unsigned Beats = (MaxCols + Lanes - 1) / Lanes,
  localparam int unsigned AddrW = (Beats > 1) ? $clog2(Beats) : 1,
  localparam int unsigned DataW = Lanes * ElemW
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic [ColsW-1:0] cols_i,
  output logic [ColsW-1:0] cols_o,

  input  logic             wr_en_i,
  input  logic [DataW-1:0] wr_data_i,
  output logic             wr_first_o,
  output logic [Lanes-1:0] wr_mask_o,
  output logic             wr_last_o,

  input  logic             rd_start_i,
  input  logic             rd_adv_i,
  output logic             rd_valid_o,
  output logic [DataW-1:0] rd_data_o,
  output logic [Lanes-1:0] rd_mask_o,
  output logic             rd_last_o
);

  logic [DataW-1:0] mem_q [Beats];
  logic             first_q, rd_on_q, issue;
  logic [ColsW-1:0] cols_q;
  logic [AddrW-1:0] wr_addr, rd_addr;
  logic [Lanes-1:0] rd_mask;
  logic             rd_last;
  logic             rd_valid_q, rd_last_q;
  logic [DataW-1:0] rd_data_q;
  logic [Lanes-1:0] rd_mask_q;

  assign cols_o     = cols_q;
  assign wr_first_o = first_q;
  assign issue      = rd_on_q && rd_adv_i;

  // The write walk sees the new length on a row's first beat, the held one after it.
  ivit_row_walk #(.Lanes(Lanes), .MaxCols(MaxCols)) u_wr_walk (
    .clk_i, .rst_ni, .cols_i(first_q ? cols_i : cols_q), .step_i(wr_en_i),
    .addr_o(wr_addr), .mask_o(wr_mask_o), .last_o(wr_last_o)
  );

  ivit_row_walk #(.Lanes(Lanes), .MaxCols(MaxCols)) u_rd_walk (
    .clk_i, .rst_ni, .cols_i(cols_q), .step_i(issue),
    .addr_o(rd_addr), .mask_o(rd_mask), .last_o(rd_last)
  );

  always_ff @(posedge clk_i) begin
    if (wr_en_i) mem_q[wr_addr] <= wr_data_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      first_q <= 1'b1;
      cols_q  <= '0;
    end else if (wr_en_i) begin
      first_q <= wr_last_o;
      if (first_q) cols_q <= cols_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_on_q    <= 1'b0;
      rd_valid_q <= 1'b0;
      rd_data_q  <= '0;
      rd_mask_q  <= '0;
      rd_last_q  <= 1'b0;
    end else begin
      if (rd_start_i) rd_on_q <= 1'b1;
      else if (issue && rd_last) rd_on_q <= 1'b0;
      if (rd_adv_i) rd_valid_q <= issue;
      if (issue) begin
        rd_data_q <= mem_q[rd_addr];
        rd_mask_q <= rd_mask;
        rd_last_q <= rd_last;
      end
    end
  end

  assign rd_valid_o = rd_valid_q;
  assign rd_data_o  = rd_data_q;
  assign rd_mask_o  = rd_mask_q;
  assign rd_last_o  = rd_last_q;

`ifndef SYNTHESIS
  a_cols: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (wr_en_i && first_q) |-> (cols_i >= 1 && 32'(cols_i) <= MaxCols))
    else $error("ivit_row_buf: cols out of range");
  a_start: assert property (@(posedge clk_i) disable iff (!rst_ni)
      rd_start_i |-> !rd_on_q)
    else $error("ivit_row_buf: pass started during a pass");
`endif

`ifdef INTVIT_COVER
  // Named cover points (docs/rtl.md, "Coverage"): partial and one-beat rows, a read pass held.
  cp_partial_last_beat: cover property (@(posedge clk_i) disable iff (!rst_ni)
      wr_en_i && wr_last_o && !(&wr_mask_o));
  cp_one_beat_row: cover property (@(posedge clk_i) disable iff (!rst_ni)
      wr_en_i && wr_first_o && wr_last_o);
  cp_read_held: cover property (@(posedge clk_i) disable iff (!rst_ni) rd_on_q && !rd_adv_i);
`endif

endmodule
