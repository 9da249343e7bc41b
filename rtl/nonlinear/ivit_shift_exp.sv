// I-ViT's shift exponential, ShiftExpSaturating of model/arith/shift_exp.h, bit for bit.
//
// Computes:   t' = t + floor(t/2) - floor(t/16)        (t * 1.4375 ~ t * log2(e))
//             t' = max(t', n * x0)
//             q  = floor(t' / x0),  r = t' - x0 * q     (r in (x0, 0])
//             e  = min(((r - 2*x0) << (n - q)) >> 1, 2^61)
// Rounding:   floor everywhere, as the C++.
// Saturation: to 2^61 (kShiftExpCap). Reached only for t > 0, i.e. ShiftGELU's e^(-xmax) of an
//             all-negative row; that needs AllowPositive = 1.
// Range:      t in [-2^(TWidth-1), 2^(TWidth-1) - 1]; x0 in [-2^31, -1]; n in [0, 30].
//             The ops need t in [-255, 128] (x - xmax of int8 rows, and -xmax), so TWidth = 9.
//             With AllowPositive = 0, t must be <= 0 (the parents assert it on valid data).
// Latency:    combinational; no clock. The parents register its inputs and its output.
// Hardware:   the division by x0 is the only non-trivial part. Write b = -x0 (1..2^31) and
//             a = -t' (t' <= 0) or a = t' - 1 (t' > 0); 0 <= a < 2^TWidth because
//             |t'| <= 1.5 * 2^(TWidth-1). Then
//               t' <= 0:  q0 = floor(a / b), r0 = a mod b.  The clamp t' >= n*x0 is the same as
//                         q0 >= n, which gives q = n, r = 0; otherwise q = q0, r = -r0.
//                         base = 2b + r in (b, 2b], shift = n - q in [0, n].
//               t' >  0:  q = floor(t'/x0) = -(q0 + 1), r = r0 + 1 - b; base = b + 1 + r0,
//                         shift = n + q0 + 1.
//             a has TWidth bits, so the quotient is a TWidth-step restoring division; a step
//             only compares against the low TWidth bits of b (a larger b gives q0 = 0).
// Widths:     base <= 2b <= 2^32 (33 bits). With t' <= 0 the shift is <= 30, so
//             base << shift <= 2^62 and e <= 2^61 needs no saturation. With t' > 0 the shift
//             is clamped to 62 (base >= 2 makes every shift >= 61 saturate anyway) and the
//             95-bit shifted value is compared with 2^62.
module ivit_shift_exp #(
  parameter int unsigned TWidth = 9,
  parameter bit AllowPositive = 1'b0
) (
  input  logic signed [TWidth-1:0] t_i,
  input  logic signed [31:0]       x0_i,
  input  logic        [4:0]        n_i,
  output logic        [61:0]       e_o
);

  localparam int unsigned AW = TWidth;  // width of a, q0 and r0

  logic signed [TWidth:0] t_ext, t_scaled;
  logic                   t_pos;
  logic [AW-1:0]          a;
  logic [31:0]            b;
  logic                   b_big;  // b >= 2^AW > a: q0 = 0, r0 = a
  logic [AW-1:0]          q0, r0;

  assign t_ext    = {t_i[TWidth-1], t_i};
  assign t_scaled = t_ext + (t_ext >>> 1) - (t_ext >>> 4);
  // t' has the sign of t (1.4375 t + 1 < 0 for t <= -1); a positive t' needs AllowPositive.
  assign t_pos    = AllowPositive && !t_scaled[TWidth] && (t_scaled != '0);
  assign b        = 32'(-x0_i);
  assign b_big    = |(b >> AW);

  // Both magnitudes are below 2^TWidth: the cast drops a zero sign bit.
  assign a = AW'(t_pos ? (t_scaled - 1'b1) : (-t_scaled));

  // Restoring division of a by b, one quotient bit per step.
  always_comb begin
    logic [AW:0] rem;
    rem = '0;
    q0  = '0;
    for (int i = AW - 1; i >= 0; i--) begin
      rem = {rem[AW-1:0], a[i]};
      if (!b_big && rem >= {1'b0, b[AW-1:0]}) begin
        rem   = rem - {1'b0, b[AW-1:0]};
        q0[i] = 1'b1;
      end
    end
    r0 = rem[AW-1:0];
  end

  logic [32:0] base;
  logic        clamp;
  logic [4:0]  shift_neg;

  assign clamp     = (q0 >= AW'(n_i));
  assign shift_neg = clamp ? 5'd0 : (n_i - q0[4:0]);  // q0 < n <= 30 here

  if (AllowPositive) begin : g_pos
    localparam int unsigned SW = (AW + 1 > 6) ? AW + 1 : 6;  // holds n + q0 + 1
    logic [SW-1:0] shift_full;
    logic [5:0]    shift;
    logic [93:0]   shifted_half;  // (base << shift) >> 1
    assign base       = t_pos ? (33'(b) + 33'(r0) + 33'd1)
                              : ((33'(b) << 1) - (clamp ? 33'd0 : 33'(r0)));
    assign shift_full = t_pos ? (SW'(n_i) + SW'(q0) + SW'(1)) : SW'(shift_neg);
    assign shift      = (shift_full > SW'(62)) ? 6'd62 : shift_full[5:0];
    assign shifted_half = 94'((95'(base) << shift) >> 1);
    assign e_o          = (|shifted_half[93:61]) ? (62'd1 << 61) : shifted_half[61:0];
  end else begin : g_neg
    assign base = (33'(b) << 1) - (clamp ? 33'd0 : 33'(r0));
    assign e_o  = 62'((63'(base) << shift_neg) >> 1);
  end
endmodule
