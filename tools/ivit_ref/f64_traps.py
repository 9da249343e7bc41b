"""Where I-ViT's literal float64 fixedpoint_mul and the exact integers part: products above 2^53
that binary64 rounds. find_f64_requant_traps builds such (z, m, e) on purpose, by factoring
(Pollard-Brent) numbers near a multiple of 2^e; make_cases.py writes them as the case
requant_ln_f64_trap, and ivit_ref's selftest checks f64_requant_differs on a small product."""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ivit_ref as R  # noqa: E402


def f64_requant_differs(z, m, e):
    return R._branch_exact(z, m, e, "half_even") != int(R._branch_f64(z, m, e, "half_even"))


def _is_prime(n):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):   # deterministic below 3.3e24
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _pollard_brent(n, rng):
    if n % 2 == 0:
        return 2
    while True:
        y, c, mm = rng.randrange(1, n), rng.randrange(1, n), 128
        g = r = q = 1
        while g == 1:
            x = y
            for _ in range(r):
                y = (y * y + c) % n
            k = 0
            while k < r and g == 1:
                ys = y
                for _ in range(min(mm, r - k)):
                    y = (y * y + c) % n
                    q = q * abs(x - y) % n
                g = math.gcd(q, n)
                k += mm
            r *= 2
        if g == n:
            g = 1
            while g == 1:
                ys = (ys * ys + c) % n
                g = math.gcd(abs(x - ys), n)
        if g != n:
            return g


def _factor(n, rng, out):
    if n == 1:
        return
    if _is_prime(n):
        out.append(n)
        return
    d = _pollard_brent(n, rng)
    _factor(d, rng, out)
    _factor(n // d, rng, out)


def _divisors(n, rng):
    primes = []
    _factor(n, rng, primes)
    divs = [1]
    for p in set(primes):
        k = primes.count(p)
        divs = [d * p ** i for d in divs for i in range(k + 1)]
    return sorted(divs)


def find_f64_requant_traps(rng, count, e, zrange, kmin=10, kmax=120):
    """Constructively find (z, m, e), 2^30 <= m < 2^31, zrange[0] <= z <= zrange[1], such that
    torch.round(z.double() * m.double() / 2.0**e) differs from the exact round-half-even of
    z*m/2^e: choose the product N = (2K+1)*2^(e-1) + d just beside a rounding tie, with |d|
    below half an ulp of the binary64 product, and factor it as z*m. |result| <= kmax + 1."""
    found = []
    seen = set()
    while len(found) < count:
        K = rng.randrange(kmin, kmax)
        ulp_half = 1 << max(0, ((2 * K + 1) << (e - 1)).bit_length() - 54)
        d = rng.choice([-1, 1]) * rng.randrange(1, ulp_half + 1)
        N = ((2 * K + 1) << (e - 1)) + d
        for z in _divisors(N, rng):
            m = N // z
            if zrange[0] <= z <= zrange[1] and (1 << 30) <= m < (1 << 31) and z not in seen:
                if f64_requant_differs(z, m, e):
                    seen.add(z)
                    found.append((z, m, e))
                break
    return found
