import { UserError } from '../errors';

/**
 * The most --threads accepts. Each worker holds an 8 MB read buffer and its own copy of the rules, so thousands
 * of them exhaust memory; past the number of cores more threads only wait. 64 is above any machine we run on.
 */
export const MAX_THREADS = 64;

/** The --threads value, checked: undefined (the engine picks), or a whole number from 1 to MAX_THREADS. */
export function threadsOption(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`--threads ${Number.isNaN(value) ? 'needs a number' : `${value} is not a whole number of at least 1`} — e.g. --threads 4, or leave it out to use every core`);
  }
  if (value > MAX_THREADS) {
    throw new UserError(`--threads ${value} is more than ${MAX_THREADS} — use at most ${MAX_THREADS} (more threads than cores only wait), or leave it out to use every core`);
  }
  return value;
}
