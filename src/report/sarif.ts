import type { Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import { LEVEL_RANK } from '../detect/detect';
import type { Confidence, Finding, Level, ScanResult } from '../types';
import { verificationSentence } from '../verify/describe';
import { packageInfo } from '../version';
import { redactedForm, type ReportContext } from './format';
import { ruleDescriptor, sentence } from './sarif-rules';

/** Our key in `partialFingerprints`: the hash of rule and secret, never line, path or commit. */
export const FINGERPRINT_KEY = 'msLeakscanSecretHash/v1';

/**
 * GitHub code scanning rejects a run with more results, or an upload larger once gzipped.
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export const GITHUB_LIMITS = { maxResults: 25_000, maxGzipBytes: 10 * 1024 * 1024 } as const;

export interface SarifLimits {
  maxResults: number;
  maxGzipBytes: number;
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** A relative URI: forward slashes, each segment percent-encoded (spaces, `#`, `%`, non-ASCII …). */
export function pathToUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function resultOf(finding: Finding, ruleIndex: Map<string, number>): Result {
  const commit = finding.commit;
  const where = commit ? ` Committed in ${commit.sha.slice(0, 12)} by ${commit.author} on ${commit.date}.${finding.notInHead ? ` A later commit removed it, so this location is in commit ${commit.sha.slice(0, 12)}, not in the head; the key stays public in that commit.` : ''}` : '';
  const inMessage = finding.commitMessage && commit ? ` It is in the message of commit ${commit.sha.slice(0, 12)} (line ${finding.startLine}), which stays public with the commit.` : '';
  const verified = finding.verification ? ` ${verificationSentence(finding.verification)}` : '';
  return {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: finding.level,
    // The verification goes after the first sentence, which the Action reads back as the alert's title.
    message: { text: `${sentence(finding.message)}${verified}${where}${inMessage} ${sentence(finding.remediation)}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: finding.commitMessage && commit ? commitMessageUri(commit.sha) : pathToUri(finding.path) },
          // A binary has no lines: its region is the byte offset (SARIF 3.30.2).
          region:
            finding.byteOffset !== undefined
              ? { byteOffset: finding.byteOffset, snippet: { text: redactedForm(finding.secret) } }
              : {
                  startLine: Math.max(1, finding.startLine),
                  startColumn: Math.max(1, finding.startColumn),
                  endLine: Math.max(1, finding.endLine),
                  endColumn: Math.max(finding.startColumn + 1, finding.endColumn),
                  snippet: { text: redactedForm(finding.secret) },
                },
        },
        // The commit, by name, beside the path standing in for its message.
        ...(finding.commitMessage && commit ? { logicalLocations: [{ name: commit.sha, fullyQualifiedName: `commit ${commit.sha} message`, kind: 'commit-message' }] } : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      confidence: finding.confidence,
      ...(finding.region ? { region: finding.region } : {}),
      ...(commit ? { commit: { sha: commit.sha, author: commit.author, date: commit.date } } : {}),
      ...(finding.verification ? { verification: finding.verification } : {}),
      ...(finding.notInHead ? { notInHead: true } : {}),
      ...(finding.decoded ? { decoded: finding.decoded } : {}),
      ...(finding.byteOffset !== undefined ? { byteOffset: finding.byteOffset } : {}),
      ...(finding.commitMessage ? { commitMessage: true } : {}),
    },
  };
}

/**
 * The artifact of a key in a commit message: a path under `.git/`, which no tracked file can have, naming the commit.
 * A message has no file, but GitHub code scanning rejects a whole upload when any result lacks a physical location
 * with a relative URI (a logical location alone, or a URI scheme of our own, fails with "expected a physical
 * location" / "unrecognized SARIF location URI scheme"); the region is the key's line and column in the message.
 */
export function commitMessageUri(sha: string): string {
  return `.git/commit-message/${sha}`;
}

/** Most severe first: level, then confidence, then the report's own order. */
/** How severe a finding is, as SARIF states it: level, then confidence (a result's `properties.confidence`). */
interface Severity {
  level: Level;
  confidence?: Confidence;
}

/** Indices of `items`, most severe first; equally severe ones in their order. */
function bySeverity(items: readonly Severity[]): number[] {
  const confidence = (i: number): number => CONFIDENCE_RANK[items[i].confidence ?? 'medium'];
  return items.map((_, i) => i).sort((a, b) => LEVEL_RANK[items[b].level] - LEVEL_RANK[items[a].level] || confidence(b) - confidence(a) || a - b);
}

function notification(level: 'error' | 'warning' | 'note', text: string, path?: string): Notification {
  return {
    level,
    message: { text: sentence(text) },
    ...(path ? { locations: [{ physicalLocation: { artifactLocation: { uri: pathToUri(path) } } }] } : {}),
  };
}

function buildLog(result: ScanResult, context: ReportContext, findings: readonly Finding[], extra: Notification[]): Log {
  const rules: ReportingDescriptor[] = context.rules.map(ruleDescriptor);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // A finding of a rule the context does not list (a caller passing fewer rules) still gets a descriptor.
  for (const f of findings) {
    if (!ruleIndex.has(f.ruleId)) {
      ruleIndex.set(f.ruleId, rules.length);
      rules.push({ id: f.ruleId, shortDescription: { text: sentence(f.ruleId) } });
    }
  }
  const info = packageInfo();
  const run: Run = {
    tool: {
      driver: {
        name: context.toolName,
        semanticVersion: context.toolVersion,
        version: context.toolVersion,
        informationUri: info.homepage ?? `https://www.npmjs.com/package/${info.name}`,
        rules,
      },
    },
    automationDetails: { id: `${context.toolName}/${context.source}/` },
    columnKind: 'utf16CodeUnits',
    invocations: [
      {
        executionSuccessful: result.errors.length === 0,
        toolExecutionNotifications: [
          ...result.errors.map((e) => notification('error', `${e.path}: ${e.message}`, e.path)),
          ...result.warnings.map((w) => notification('warning', w)),
          ...extra,
        ],
      },
    ],
    results: findings.map((f) => resultOf(f, ruleIndex)),
  };
  return { $schema: SCHEMA, version: '2.1.0', runs: [run] };
}

/**
 * The text of a SARIF log within GitHub's upload limits, so an upload is never rejected whole: `render` writes the
 * log with the items kept and the notifications to add. Over the limits, the most severe items are kept (fewer each
 * round) and a notification says how many were left out.
 */
export function fitSarif<T>(items: readonly T[], severity: (item: T) => Severity, render: (kept: T[], extra: Notification[]) => Log, limits: SarifLimits = GITHUB_LIMITS): string {
  const order = bySeverity(items.map(severity));
  let keep = Math.min(items.length, limits.maxResults);
  for (;;) {
    const kept = new Set(order.slice(0, keep));
    const dropped = items.length - keep;
    const extra = dropped
      ? [
          notification(
            'warning',
            `${dropped} of ${items.length} findings were left out to stay within GitHub's upload limits ` +
              `(${limits.maxResults} results, ${limits.maxGzipBytes} bytes gzipped); the ${keep} most severe are listed — ` +
              'run ms-leakscan with --format json to see them all',
          ),
        ]
      : [];
    const text = `${JSON.stringify(render(items.filter((_, i) => kept.has(i)), extra), null, 2)}\n`;
    // JSON shrinks a lot under gzip: only a text past the limit can be past it once compressed.
    if (keep === 0 || Buffer.byteLength(text) <= limits.maxGzipBytes || (require('node:zlib') as typeof import('node:zlib')).gzipSync(text).length <= limits.maxGzipBytes) return text;
    keep = Math.floor(keep * 0.8);
  }
}

/** The SARIF log of a scan, within GitHub's limits (fitSarif). */
export function buildSarif(result: ScanResult, context: ReportContext, limits: SarifLimits = GITHUB_LIMITS): string {
  return fitSarif(result.findings, (f) => f, (findings, extra) => buildLog(result, context, findings, extra), limits);
}

/** Level and confidence of a result this tool wrote. */
export function resultSeverity(result: Result): Severity {
  const confidence = result.properties?.confidence as Confidence | undefined;
  return { level: (result.level ?? 'warning') as Level, ...(confidence && confidence in CONFIDENCE_RANK ? { confidence } : {}) };
}

export function formatSarif(result: ScanResult, context: ReportContext): string {
  return buildSarif(result, context);
}
