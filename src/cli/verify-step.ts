import type { ScanResult } from '../types';
import type { CommandContext } from './context';
import type { ScanSettings } from './settings';

/**
 * With --verify, after the baseline and allowlists have had their say (a suppressed key is never sent) and before
 * reporting: each finding gets its verification, and the clear secrets are dropped.
 */
export async function verifyIfAsked(result: ScanResult, settings: ScanSettings, ctx: CommandContext): Promise<ScanResult> {
  const vault = settings.vault;
  if (!vault) return result;
  try {
    // Loaded only here (https, tls and the verifier): a scan without --verify never starts them.
    const { verifyFindings } = require('../verify/verify') as typeof import('../verify/verify');
    const findings = await verifyFindings(result.findings, vault.secretOf, { env: ctx.env, transport: ctx.verifyTransport });
    return { ...result, findings };
  } finally {
    vault.clear();
  }
}
