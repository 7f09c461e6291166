import type { ReportingDescriptor } from 'sarif';
import { REGIONS } from '../detect/regions';
import type { Rule } from '../types';

/** How the help names the region when a rule is described in general (findings name their own region). */
const ANY_REGION = 'the region where the key was created';

const REGION_LIST = Object.values(REGIONS)
  .map((r) => r.name)
  .join(', ');

/** SARIF wants plain-text messages to end with a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Markdown-escapes the few characters that would change the meaning of plain prose. */
function markdownText(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function helpParts(rule: Rule): { what: string; todo: string; history: string; allow: string } {
  return {
    what: sentence(rule.description),
    todo: sentence(rule.remediation.replaceAll('{region}', ANY_REGION)),
    history:
      'Deleting the line, or the file, in a new commit does not revoke the key: it stays readable in every earlier ' +
      'commit, fork and clone. Rotate it first; rewriting history afterwards only tidies up.',
    allow: 'If this is a test value and not a key, mark the line with an ms-leakscan:allow comment.',
  };
}

/** `help.text` and `help.markdown`: what the key is, why it matters, how to rotate it, why deleting the line is not enough. */
export function ruleHelp(rule: Rule): { text: string; markdown: string } {
  const p = helpParts(rule);
  const text = [p.what, `What to do: ${p.todo}`, p.history, p.allow].join('\n\n');
  const markdown = [
    `**${markdownText(rule.title)}**`,
    `**What it is and why it matters.** ${markdownText(p.what)}`,
    `**What to do.** ${markdownText(p.todo)}`,
    `Keys belong to one region (${markdownText(REGION_LIST)}); the alert names the region when the code shows it.`,
    `**Removing the line is not enough.** ${markdownText(p.history)}`,
    `**False positive?** ${markdownText(p.allow)}`,
  ].join('\n\n');
  return { text, markdown };
}

/** One `tool.driver.rules` entry per enabled rule. */
export function ruleDescriptor(rule: Rule): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: sentence(rule.title) },
    fullDescription: { text: sentence(rule.description) },
    help: ruleHelp(rule),
    defaultConfiguration: { level: rule.defaultLevel },
    properties: {
      tags: [...rule.tags],
      precision: rule.precision,
      'security-severity': rule.securitySeverity,
    },
  };
}
