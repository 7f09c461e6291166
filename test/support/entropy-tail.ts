/**
 * Exact lower tail of the Shannon entropy of a uniformly random string: the probability that a key of a given shape
 * has entropy (bits per character, as shannonEntropy measures it) below a floor. Strings are grouped by their
 * multiset of character counts (a partition of n), each counted with its multinomial weight, so the sum is exact.
 */

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1] + Math.log(i);
  return logFactorials[n];
}

/** Every partition of `n` into at most `maxParts` parts, each at most `maxPart`, as non-increasing arrays. */
function* partitions(n: number, maxParts: number, maxPart = n): Generator<number[]> {
  if (n === 0) {
    yield [];
    return;
  }
  if (maxParts === 0) return;
  for (let first = Math.min(n, maxPart); first >= 1; first--) {
    for (const rest of partitions(n - first, maxParts - 1, first)) yield [first, ...rest];
  }
}

const plogp = (count: number, n: number): number => (count === 0 ? 0 : (count / n) * Math.log2(count / n));

/**
 * P(entropy < floor) for a string of `free` characters drawn uniformly from `alphabet` symbols, plus `fixed`
 * characters of given distinct symbols (a UUIDv4's version `4` and its variant digit, which are never equal): the
 * fixed symbols' counts are enumerated one by one, the other symbols' counts as partitions.
 */
export function entropyBelowProbability(free: number, alphabet: number, floor: number, fixed = 0): number {
  const n = free + fixed;
  const others = alphabet - fixed;
  let total = 0;
  const visit = (specialCounts: number[], left: number): void => {
    if (specialCounts.length < fixed) {
      for (let c = 0; c <= left; c++) visit([...specialCounts, c], left - c);
      return;
    }
    const specialEntropy = specialCounts.reduce((sum, c) => sum - plogp(c + 1, n), 0);
    const specialLogWeight = specialCounts.reduce((sum, c) => sum - logFactorial(c), 0);
    for (const parts of partitions(left, others)) {
      let entropy = specialEntropy;
      for (const c of parts) entropy -= plogp(c, n);
      if (entropy >= floor) continue;
      // Strings with these counts: free! / Π c! orderings, times the ways to give the counts to distinct symbols.
      let logWeight = logFactorial(free) + specialLogWeight + logFactorial(others) - logFactorial(others - parts.length);
      for (const c of parts) logWeight -= logFactorial(c);
      const multiplicity = new Map<number, number>();
      for (const c of parts) multiplicity.set(c, (multiplicity.get(c) ?? 0) + 1);
      for (const m of multiplicity.values()) logWeight -= logFactorial(m);
      total += Math.exp(logWeight - free * Math.log(alphabet));
    }
  };
  visit([], free);
  return total;
}
