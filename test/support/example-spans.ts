import type { RuleExample } from '../../src/types';

type Span = NonNullable<RuleExample['span']>;

const TOKEN = /\{\{([a-z0-9-]+)\}\}/g;

/**
 * A rule example's span, stated in its text as written (a `{{token}}` counts as the characters it is written with),
 * moved to the text with the tokens filled in by `values` (in order of appearance): what the scan reports.
 */
export function spanInFilledText(template: string, values: readonly { value: string }[], span: Span): Span {
  const lineStart = template.split('\n').slice(0, span.line - 1).reduce((at, line) => at + line.length + 1, 0);
  const shift = (offset: number): number => {
    let moved = offset;
    let i = 0;
    for (const match of template.matchAll(TOKEN)) {
      const value = values[i++]?.value ?? match[0];
      if ((match.index as number) + match[0].length <= offset) moved += value.length - match[0].length;
    }
    return moved;
  };
  const filledLineStart = shift(lineStart);
  return { line: span.line, column: shift(lineStart + span.column - 1) - filledLineStart + 1, endColumn: shift(lineStart + span.endColumn - 1) - filledLineStart + 1 };
}
