// Saturating clamp of a signed value to a narrower signed width.
//
// Computes:   y = min(max(x, -2^(OutW-1)), 2^(OutW-1) - 1).
// Rounding:   none.
// Saturation: this is the saturation.
// Range:      any x; 2 <= OutW <= InW. OutW == InW passes x through.
// Latency:    combinational.
// Golden:     model::SaturateToBits (model/arith/saturate.h).
module ivit_sat #(
  parameter int unsigned InW  = 32,
  parameter int unsigned OutW = 8
) (
  input  logic signed [InW-1:0]  x_i,
  output logic signed [OutW-1:0] y_o
);

  if (OutW >= InW) begin : gen_pass
    assign y_o = OutW'(x_i);
  end else begin : gen_clamp
    // x fits OutW bits when its bits [InW-1:OutW-1] are all equal to the sign bit.
    logic [InW-OutW:0] top;
    logic              fits;
    assign top  = x_i[InW-1:OutW-1];
    assign fits = (top == '0) || (top == '1);
    always_comb begin
      if (fits) begin
        y_o = x_i[OutW-1:0];
      end else if (x_i[InW-1]) begin
        y_o = {1'b1, {(OutW-1){1'b0}}};
      end else begin
        y_o = {1'b0, {(OutW-1){1'b1}}};
      end
    end
  end

endmodule
