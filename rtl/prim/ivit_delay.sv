// Fixed delay line: y_o(t) = x_i(t - Depth).
//
// Latency:    exactly Depth cycles; Depth = 0 is a wire.
// Reset:      Reset = 1 clears every stage (control bits such as valids); Reset = 0 leaves data
//             stages unreset.
// Storage:    one register per stage, each written by its own process at a constant index, so
//             that Verilator (with split_var in rtl/lint/intvit.vlt) keeps each stage a plain
//             variable; a loop over a shared array would go through delayed-write queues.
module ivit_delay #(
  parameter int unsigned Width = 1,
  parameter int unsigned Depth = 1,
  parameter bit          Reset = 1'b0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] x_i,
  output logic [Width-1:0] y_o
);

  // chain[i] is the value delayed by i cycles.
  logic [Width-1:0] chain [Depth+1];
  assign chain[0] = x_i;

  for (genvar i = 0; i < Depth; i++) begin : gen_stage
    if (Reset) begin : gen_reset
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          chain[i+1] <= '0;
        end else begin
          chain[i+1] <= chain[i];
        end
      end
    end else begin : gen_noreset
      always_ff @(posedge clk_i) begin
        chain[i+1] <= chain[i];
      end
    end
  end

  assign y_o = chain[Depth];

  if (Depth == 0 || !Reset) begin : gen_unused
    logic unused_ctrl;
    assign unused_ctrl = clk_i ^ rst_ni;
  end

endmodule
