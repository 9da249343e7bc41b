// Fixed delay line: y_o(t) = x_i(t - Depth).
//
// Latency:    exactly Depth cycles; Depth = 0 is a wire.
// Reset:      Reset = 1 clears every stage (control bits such as valids); Reset = 0 leaves data
//             stages unreset.
// Storage:    an unpacked array of stages, which Verilator simulates much faster than one wide
//             packed shift register.
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

  if (Depth == 0) begin : gen_wire
    assign y_o = x_i;
    logic unused_clk;
    assign unused_clk = clk_i ^ rst_ni;
  end else begin : gen_stages
    logic [Width-1:0] stage_q [Depth];
    if (Reset) begin : gen_reset
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          for (int unsigned i = 0; i < Depth; i++) stage_q[i] <= '0;
        end else begin
          stage_q[0] <= x_i;
          for (int unsigned i = 1; i < Depth; i++) stage_q[i] <= stage_q[i-1];
        end
      end
    end else begin : gen_noreset
      logic unused_rst;
      assign unused_rst = rst_ni;
      always_ff @(posedge clk_i) begin
        stage_q[0] <= x_i;
        for (int unsigned i = 1; i < Depth; i++) stage_q[i] <= stage_q[i-1];
      end
    end
    assign y_o = stage_q[Depth-1];
  end

endmodule
