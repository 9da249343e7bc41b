// Running maximum of a row, beat by beat: the load stage of Shiftmax and ShiftGELU (xm).
//
// Computes:   max_o = max of the valid lanes (mask_i) of every beat taken (en_i) since the
//             row's first beat (first_i); the first beat starts from the smallest value.
// Interface:  en_i takes data_i (Lanes signed ElemW-bit lanes, lane j valid if mask_i[j]);
//             first_i marks the row's first beat. max_o holds the row's maximum from the cycle
//             after its last beat until the next row's first beat is taken.
// Latency:    1 (max_o is a register).
// Widths:     the maximum of ElemW-bit values is an ElemW-bit value.
// Range:      the rows of the units have cols >= 1, so their first beat has lane 0 valid and
//             max_o is a row element.
module ivit_row_max #(
  parameter int unsigned Lanes = 1,
  parameter int unsigned ElemW = 8
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    en_i,
  input  logic                    first_i,
  input  logic [Lanes-1:0]        mask_i,
  input  logic [Lanes*ElemW-1:0]  data_i,
  output logic signed [ElemW-1:0] max_o
);

  logic signed [ElemW-1:0] max_q, beat_max;

  always_comb begin
    beat_max = first_i ? {1'b1, {(ElemW - 1){1'b0}}} : max_q;
    for (int unsigned j = 0; j < Lanes; j++) begin
      if (mask_i[j] && signed'(data_i[ElemW*j +: ElemW]) > beat_max) begin
        beat_max = signed'(data_i[ElemW*j +: ElemW]);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)   max_q <= '0;
    else if (en_i) max_q <= beat_max;
  end

  assign max_o = max_q;

endmodule
