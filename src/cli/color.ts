/**
 * Whether the text report is coloured. `--color`/`--no-color` decide when given. Otherwise, as
 * https://force-color.org and https://no-color.org define them, FORCE_COLOR and NO_COLOR count when present and
 * not empty, whatever their value (FORCE_COLOR=0 forces colour too); FORCE_COLOR wins over NO_COLOR, as it does
 * for Node.js itself. Without either, colour only when the report goes to a terminal.
 */
export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, toTerminal: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR) return true;
  if (env.NO_COLOR) return false;
  return toTerminal;
}
