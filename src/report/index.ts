import type { ScanResult } from '../types';
import type { ReportContext } from './format';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

type Reporter = (result: ScanResult, context: ReportContext) => string;

const REPORTERS: Record<Format, Reporter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

export function formatReport(format: Format, result: ScanResult, context: ReportContext): string {
  return REPORTERS[format](result, context);
}

export type { ReportContext } from './format';
