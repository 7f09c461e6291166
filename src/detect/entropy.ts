/** Counts of Latin-1 characters, reused: entropy runs once per candidate, 10,000s of times per dense file. */
const latin1Counts = new Uint32Array(256);
const firstSeen = new Uint8Array(256);

/** Shannon entropy in bits per character. Runs only on candidate bodies (≤ a few hundred chars), never on whole files. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  let distinct = 0;
  let latin1 = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      latin1 = false;
      break;
    }
    if (latin1Counts[c]++ === 0) firstSeen[distinct++] = c;
  }
  let bits = 0;
  if (latin1) {
    // Summed in order of first occurrence, as the general path does, so both give the same rounding.
    for (let k = 0; k < distinct; k++) {
      const p = latin1Counts[firstSeen[k]] / text.length;
      bits -= p * Math.log2(p);
    }
  }
  for (let k = 0; k < distinct; k++) latin1Counts[firstSeen[k]] = 0;
  if (!latin1) {
    const counts = new Map<string, number>();
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    for (const n of counts.values()) {
      const p = n / text.length;
      bits -= p * Math.log2(p);
    }
  }
  return Math.round(bits * 1000) / 1000;
}

const WORDS = ['xxxx', 'your', 'example', 'sample', 'dummy', 'placeholder', 'replace', 'changeme', 'insert', 'redacted', 'fake', 'testkey', 'testingkey'];

/**
 * Documentation words, as a human types them: lower case, UPPER CASE or Capitalised. Any case at all would
 * match random alphanumerics too often ("yOUr" is in one random 30-character AccessKey secret in 5,000).
 */
const PLACEHOLDER_WORDS = new RegExp(
  ['\\*{3}', '\\.{3}', '…', ...WORDS.flatMap((w) => [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)])].join('|'),
);

/** Length of the longest run of characters that each step by +1 or -1 from the previous ("1234", "fedc"). */
function longestSequentialRun(text: string): number {
  let best = 1;
  let run = 1;
  let dir = 0;
  for (let i = 1; i < text.length; i++) {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    if ((step === 1 || step === -1) && (run === 1 || step === dir)) {
      run += 1;
      dir = step;
    } else if (step === 1 || step === -1) {
      run = 2;
      dir = step;
    } else {
      run = 1;
      dir = 0;
    }
    if (run > best) best = run;
  }
  return best;
}

/** Length of the longest run of one repeated character ("0000"). */
function longestRepeatRun(text: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text[i] === text[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/**
 * True when a secret body is a placeholder a human typed, not a generated key: documentation words
 * (`your-…`, `xxxx`, `****`), or runs no random generator produces in practice: 7+ sequential or 8+ identical
 * characters happen in about one random 32-hex body in a million. (Shorter runs are not rare: 5 identical hex
 * digits occur in one key in 2,300, so a lower threshold drops real keys.)
 */
export function isPlaceholder(body: string): boolean {
  if (PLACEHOLDER_WORDS.test(body)) return true;
  return longestSequentialRun(body) >= 7 || longestRepeatRun(body) >= 8;
}
