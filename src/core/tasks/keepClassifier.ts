// A deterministic second opinion on what stays with the person. The planner (a model) classifies
// each subtask; this guard reads the title and goal for security-critical work, architecture and
// business rules, and the stricter answer wins: the guard can only turn 'delegate' into 'keep'.
import type { TaskMode } from './taskTree';

export type KeepCategory = 'security' | 'architecture' | 'business-rules';

export interface KeepMatch {
  category: KeepCategory;
  /** The words in the task that triggered it, as written. */
  term: string;
}

// Word-bounded and specific, so "author" is not "auth", a "token budget" is not an access token,
// "dependency injection" is not an attack and a "function signature" is not cryptography.
const PATTERNS: ReadonlyArray<{ category: KeepCategory; pattern: RegExp }> = [
  {
    category: 'security',
    pattern:
      /\b(auth|authn|authz|authenticat\w*|authori[sz]\w*|logins?|sign[- ]?in|passwords?|passphrases?|credentials?|secrets?|api[- ]keys?|private keys?|(?:access|refresh|auth|bearer|session|csrf) tokens?|jwts?|oauth\w*|saml|sso|mfa|2fa|crypto\w*|encrypt\w*|decrypt\w*|cipher\w*|hash(?:ing)? passwords?|(?:digital|cryptographic) signatures?|code signing|certificates?|tls|ssl|permissions?|privileges?|access control|rbac|acls?|roles? and permissions|sandbox\w*|security|vulnerabilit\w*|cve-\d+|xss|csrf|(?:sql|command|code) injection|sanitiz\w*|escap(?:e|ing) (?:html|sql|input)|payments?|billing|checkout|credit cards?|card numbers?|pci|stripe|invoices?|refunds?|pii|gdpr|personal data)\b/i,
  },
  {
    category: 'architecture',
    pattern:
      /\b(architecture|architectural|design decisions?|system design|re-?architect\w*|redesign\w*|choose (?:a|the|between) \w+|pick (?:a|the) (?:framework|database|library)|(?:database|db) schema|data model|module boundar\w*|public api|api design|breaking changes?|migrat\w+ (?:to|from) \w+|monolith|microservices?)\b/i,
  },
  {
    category: 'business-rules',
    pattern:
      /\b(business (?:rules?|logic)|pricing (?:rules?|policy|policies)|discount (?:rules?|policy|policies)|tax(?:es|ation)? (?:rules?|rates?|calculation)|eligibility|compliance|regulat\w*|legal|terms of service|licen[cs]e terms|retention polic\w*|sla)\b/i,
  },
];

const CATEGORY_REASON: Record<KeepCategory, string> = {
  security: 'security-critical work',
  architecture: 'an architecture decision',
  'business-rules': 'a business rule',
};

/** Every category the text touches, with the first term that showed it. */
export function findKeepSignals(text: string): KeepMatch[] {
  const matches: KeepMatch[] = [];
  for (const { category, pattern } of PATTERNS) {
    const found = pattern.exec(text);
    if (found) matches.push({ category, term: found[0] });
  }
  return matches;
}

export interface KeepDecision {
  mode: TaskMode;
  /** Why the task stays with the person: the planner's reason, the guard's, or both. */
  keepReason?: string;
  matches: KeepMatch[];
}

/**
 * Combines the planner's classification with the guard's: 'keep' if either says so, with both
 * reasons recorded. The guard reads the title and the goal.
 */
export function classifyKeep(task: { title: string; goal?: string }, planner: { mode: TaskMode; keepReason?: string }): KeepDecision {
  const matches = findKeepSignals(`${task.title}\n${task.goal ?? ''}`);
  const reasons: string[] = [];
  if (planner.mode === 'keep') reasons.push(planner.keepReason?.trim() || 'the planner kept it for the person');
  if (matches.length > 0) {
    reasons.push(`looks like ${matches.map((m) => `${CATEGORY_REASON[m.category]} ("${m.term}")`).join(' and ')}`);
  }
  if (reasons.length === 0) return { mode: 'delegate', matches };
  return { mode: 'keep', keepReason: reasons.join('; '), matches };
}
