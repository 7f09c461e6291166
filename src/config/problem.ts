/** A problem in one field of a configuration; the loader turns it into a UserError naming the file. */
export class ConfigProblem extends Error {
  constructor(
    /** Where, e.g. `customRules[0].pattern`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
