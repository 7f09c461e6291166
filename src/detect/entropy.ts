/** Counts of Latin-1 characters, reused: entropy runs once per candidate, 10,000s of times per dense file. */
const latin1Counts = new Uint32Array(256);
const firstSeen = new Uint8Array(256);
/** Looked up once: under Jest's sandbox each `Math.log2` reads a proxied global, 10 times slower. */
const { log2 } = Math;

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
      bits -= p * log2(p);
    }
  }
  for (let k = 0; k < distinct; k++) latin1Counts[firstSeen[k]] = 0;
  if (!latin1) {
    const counts = new Map<string, number>();
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    for (const n of counts.values()) {
      const p = n / text.length;
      bits -= p * log2(p);
    }
  }
  return Math.round(bits * 1000) / 1000;
}

/**
 * Documentation words, as a human types them: lower case, UPPER CASE or Capitalised (any case at all would match
 * random alphanumerics too often: "yOUr" is in one random 30-character AccessKey secret in 5,000). Words of seven
 * letters or more mark a placeholder alone; shorter ones only in pairs (`YourAccessKeySecret`): one of them alone
 * is in about one random 30-alphanumeric secret in 60,000, two in fewer than one in a billion.
 */
const LONG_WORDS = ['example', 'placeholder', 'replace', 'changeme', 'redacted', 'testkey', 'testingkey'];
const SHORT_WORDS = ['xxxx', 'your', 'fake', 'dummy', 'token', 'sample', 'insert', 'access', 'secret', 'apikey'];
const cased = (words: string[]): string[] => words.flatMap((w) => [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)]);

/** Masks (`***`, `...`, `…`), which no key alphabet holds, and the long words. */
const PLACEHOLDER_MARKS = new RegExp(['\\*{3}', '\\.{3}', '…', ...cased(LONG_WORDS)].join('|'));
const SHORT_WORD = new RegExp(cased(SHORT_WORDS).join('|'), 'g');

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

/** True when the body repeats itself with a period of at most half its length (`1234abcd1234abcd`). */
function isPeriodic(text: string): boolean {
  for (let period = 1; period * 2 <= text.length; period++) {
    let i = period;
    while (i < text.length && text.charCodeAt(i) === text.charCodeAt(i - period)) i++;
    if (i === text.length) return true;
  }
  return false;
}

/**
 * True when a secret body is a placeholder a human typed, not a generated key: masks and documentation words (see
 * above), a body that repeats itself, or runs of 10 sequential or 10 identical characters. Each test is tuned so
 * that a uniformly random key of any built-in rule's shape passes with probability above 1 - 1e-9 (32 hex: a run
 * of 10 sequential digits has probability 4e-11, of 10 identical ones 3e-10; shorter runs are not rare: 5
 * identical hex digits occur in one key in 2,300, 7 sequential ones in one in 1.3 million).
 */
export function isPlaceholder(body: string): boolean {
  if (PLACEHOLDER_MARKS.test(body)) return true;
  const shortWords = body.match(SHORT_WORD);
  if (shortWords !== null && shortWords.length >= 2) return true;
  return longestSequentialRun(body) >= 10 || longestRepeatRun(body) >= 10 || isPeriodic(body);
}
