// Output beat register of a valid/ready stream with a last flag (the row units' out_* ports).
//
// Computes:   holds one beat (data, last) for the consumer until it is taken.
// Interface:  load_i captures {valid_i, last_i, data_i}; valid_i low loads a bubble. Without
//             load_i, a taken beat (valid_o && ready_i) leaves the register empty. Load only
//             when free_o: free_o = !valid_o || ready_i, the register is empty or its beat is
//             taken in this cycle (asserted). taken_last_o = valid_o && ready_i && last_o, the
//             last beat of a row leaves in this cycle.
// Latency:    1: a beat loaded in cycle t is on valid_o/data_o/last_o from cycle t + 1.
// Throughput: one beat per cycle while ready_i is high. free_o and taken_last_o depend
//             combinationally on ready_i (as the units' own enables did); valid_o, last_o and
//             data_o are registers, so no path runs from ready_i or the inputs to them.
// Widths:     Width data bits, as the unit's output port.
module ivit_out_beat #(
  parameter int unsigned Width = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             load_i,
  input  logic             valid_i,
  input  logic             last_i,
  input  logic [Width-1:0] data_i,
  output logic             free_o,
  output logic             taken_last_o,

  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o,
  output logic             last_o
);

  logic             valid_q, last_q;
  logic [Width-1:0] data_q;

  assign free_o       = !valid_q || ready_i;
  assign taken_last_o = valid_q && ready_i && last_q;
  assign valid_o      = valid_q;
  assign last_o       = last_q;
  assign data_o       = data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      last_q  <= 1'b0;
      data_q  <= '0;
    end else if (load_i) begin
      valid_q <= valid_i;
      last_q  <= last_i;
      data_q  <= data_i;
    end else if (ready_i) begin
      valid_q <= 1'b0;
    end
  end

`ifndef SYNTHESIS
  a_free: assert property (@(posedge clk_i) disable iff (!rst_ni) load_i |-> free_o)
    else $error("ivit_out_beat: a beat overwritten before it was taken");
`endif

endmodule
