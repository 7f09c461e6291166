import type { ScanResult } from '../types';
import type { ReportContext } from './format';

/**
 * The JSON contract other tools parse:
 * `{ tool: {name, version}, findings: [...], errors: [{path, message}], stats: {files, bytes, durationMs, suppressed, baselined},
 * unusedBaseline?: [{ruleId, fingerprint}] }` (unusedBaseline only with --report-unused); with --verify each finding
 * has `verification: {status: live|invalid|unknown|skipped, region?, reason?}`. A key found encoded has `decoded`
 * (the chain, outermost first: `base64`, `base64>percent`) at the encoded text's line and column; one found in a
 * binary's printable strings has `byteOffset` (lines and columns 1); one in an archive has `archive.zip!member` as its path.
 * A key in a commit message has `commitMessage: true`, `commit`, an empty path, and the message's line and column
 * (line 1 is the subject).
 * Fields are only ever added, never renamed.
 */
export function formatJson(result: ScanResult, context: ReportContext): string {
  const document = {
    tool: { name: context.toolName, version: context.toolVersion },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      level: f.level,
      confidence: f.confidence,
      path: f.path,
      startLine: f.startLine,
      startColumn: f.startColumn,
      endLine: f.endLine,
      endColumn: f.endColumn,
      secret: f.secret,
      fingerprint: f.fingerprint,
      entropy: f.entropy,
      ...(f.region ? { region: f.region } : {}),
      ...(f.commit ? { commit: f.commit } : {}),
      ...(f.notInHead ? { notInHead: true } : {}),
      ...(f.decoded ? { decoded: f.decoded } : {}),
      ...(f.byteOffset !== undefined ? { byteOffset: f.byteOffset } : {}),
      ...(f.commitMessage ? { commitMessage: true } : {}),
      message: f.message,
      remediation: f.remediation,
      ...(f.verification ? { verification: f.verification } : {}),
    })),
    errors: result.errors,
    warnings: result.warnings,
    stats: result.stats,
    ...(result.unusedBaseline ? { unusedBaseline: result.unusedBaseline } : {}),
    ...(result.shard ? { shard: result.shard } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
