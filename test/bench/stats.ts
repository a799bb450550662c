// Small statistics for the report.

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Rounds to `digits` decimals (null stays null). */
export const round = (value: number | null, digits = 3): number | null => {
  if (value === null || !Number.isFinite(value)) return null
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/**
 * The exponent b of time = a * n^b, by least squares on log n and log time: 1 is linear, 2
 * quadratic; fixed costs pull it below 1 at small sizes.
 */
export function loglogSlope (points: ReadonlyArray<{ n: number, seconds: number }>): number | null {
  const usable = points.filter((p) => p.n > 0 && p.seconds > 0)
  if (usable.length < 2) return null
  const xs = usable.map((p) => Math.log(p.n))
  const ys = usable.map((p) => Math.log(p.seconds))
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let num = 0
  let den = 0
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my)
    den += (xs[i]! - mx) ** 2
  }
  return den === 0 ? null : num / den
}
