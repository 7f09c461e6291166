import { UserError } from '../errors';

/** The --threads value, checked: undefined (the engine picks), or a whole number of at least 1. */
export function threadsOption(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`--threads ${Number.isNaN(value) ? 'needs a number' : `${value} is not a whole number of at least 1`} — e.g. --threads 4, or leave it out to use every core`);
  }
  return value;
}
