// Rounding arithmetic shift by a signed amount, saturated to the output width.
//
// Computes:   e >= 1: round(x / 2^e);  e <= 0: x * 2^-e (a left shift).
// Rounding:   half_up_i = 0: to nearest, ties to even (torch.round);
//             half_up_i = 1: to nearest, ties toward +inf, i.e. floor((x + 2^(e-1)) / 2^e).
// Saturation: the result is clamped to OutW signed bits (a left shift saturates instead of
//             wrapping; a right shift of a value wider than OutW saturates too).
// Range:      any InW-bit x; e_i is EW-bit two's complement, any value. Right shifts of InW or
//             more bits give 0 in both modes (|x| <= 2^(InW-1), so |x / 2^e| <= 1/2, and the
//             one tie, -1/2, rounds to 0 both ways).
// Latency:    combinational.
// Golden:     model::RoundingShiftRightHalfEven / RoundingShiftRightHalfUp followed by
//             model::SaturateToBits(OutW) (model/arith/shift.h, saturate.h). With InW <= 64 and
//             OutW = 64 it is exactly the int64 function.
//
// The rounding uses the bit below the cut (half) and the OR of the bits below it (sticky):
// half_up rounds up iff half; half_even iff half and (sticky or the kept LSB is odd).
module ivit_round_shift #(
  parameter int unsigned InW  = 64,
  parameter int unsigned OutW = 64,
  parameter int unsigned EW   = 8
) (
  input  logic signed [InW-1:0]  x_i,
  input  logic signed [EW-1:0]   e_i,
  input  logic                   half_up_i,
  output logic signed [OutW-1:0] y_o
);

  // Shift amounts are clamped where the result stops changing: right by InW (result 0),
  // left by OutW (any nonzero x saturates).
  localparam int unsigned SW = $clog2(InW + OutW + 1) + 1;
  localparam int unsigned MaxR = InW;
  localparam int unsigned MaxL = OutW;
  // The widest intermediate: InW bits (right shift, plus one for the rounding increment).
  localparam int unsigned RW = InW + 1;

  logic signed [31:0] e_ext;
  logic [31:0]        e_mag;  // |e|
  logic               right;
  logic [SW-1:0]      rsh;    // right shift amount, 1..MaxR
  logic [SW-1:0]      lsh;    // left shift amount, 0..MaxL

  always_comb begin
    e_ext = 32'(e_i);
    right = e_ext > 0;
    e_mag = right ? e_ext : -e_ext;
    rsh   = SW'(1);
    lsh   = '0;
    if (right) begin
      rsh = (e_mag > MaxR) ? SW'(MaxR) : SW'(e_mag);
    end else begin
      lsh = (e_mag > MaxL) ? SW'(MaxL) : SW'(e_mag);
    end
  end

  // Right shift with rounding.
  logic signed [RW-1:0] xr;
  logic signed [RW-1:0] q;
  logic [RW-1:0]        below;  // bits shifted out, still in place
  logic                 half;
  logic                 sticky;
  logic                 up;
  logic signed [RW-1:0] rounded;

  always_comb begin
    xr      = RW'(x_i);
    q       = xr >>> rsh;
    below   = xr & ~({RW{1'b1}} << rsh);
    half    = (below & (RW'(1) << (rsh - SW'(1)))) != '0;
    sticky  = (below & ~({RW{1'b1}} << (rsh - SW'(1)))) != '0;
    up      = half && (half_up_i || sticky || q[0]);
    rounded = q + RW'(up);
  end

  logic signed [OutW-1:0] right_sat;
  ivit_sat #(
    .InW (RW),
    .OutW(OutW)
  ) u_sat_right (
    .x_i(rounded),
    .y_o(right_sat)
  );

  // Left shift with saturation: x << k fits OutW bits iff x >>> (OutW - 1 - k) is 0 or -1
  // (for k <= OutW - 1; beyond that only x = 0 fits).
  localparam int unsigned LW = (InW > OutW) ? InW : OutW;
  logic signed [LW-1:0]   xl;
  logic signed [LW-1:0]   hi;
  logic                   l_fits;
  logic signed [OutW-1:0] left_sat;

  always_comb begin
    xl     = LW'(x_i);
    hi     = xl >>> (SW'(OutW - 1) - lsh);
    l_fits = (lsh <= SW'(OutW - 1)) ? (hi == '0 || hi == '1) : (x_i == '0);
    if (l_fits) begin
      left_sat = OutW'(xl) << lsh;
    end else if (x_i[InW-1]) begin
      left_sat = {1'b1, {(OutW-1){1'b0}}};
    end else begin
      left_sat = {1'b0, {(OutW-1){1'b1}}};
    end
  end

  assign y_o = right ? right_sat : left_sat;

endmodule
