/**
 * Weighted random choice: each candidate with a positive weight is picked with probability
 * weight / total, so a canary of weight 10 beside 90 takes a tenth of the calls. A weight of 0 (or
 * less) takes no traffic: a target being drained. `random` returns a number in [0, 1), like
 * `Math.random`. Undefined when no candidate has a positive weight.
 */
export function pickWeighted<T extends { weight: number }>(candidates: readonly T[], random: () => number): T | undefined {
  let total = 0;
  for (const candidate of candidates) if (candidate.weight > 0) total += candidate.weight;
  if (total === 0) return undefined;
  let point = random() * total;
  let last: T | undefined;
  for (const candidate of candidates) {
    if (candidate.weight <= 0) continue;
    point -= candidate.weight;
    if (point < 0) return candidate;
    last = candidate;
  }
  // Floating-point rounding can leave `point` at 0 after the last subtraction.
  return last;
}
