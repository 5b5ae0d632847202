// secretlint's recommended rules, run on text about to leave the machine (never the whole repo).
// Two choices differ from secretlint's defaults, both to fail closed: AWS access key IDs are
// scanned (off by default there), and "secretlint-disable" comments are not honoured, because a
// comment in workspace text must not be able to switch redaction off.
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretSpan } from './secretSpan';

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

// The config type through lintSource itself: @secretlint/types is not a direct dependency.
const CONFIG: Parameters<typeof lintSource>[0]['options']['config'] = {
  rules: [
    {
      id: PRESET_ID,
      rule: recommendedPreset,
      rules: [
        { id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } },
        { id: '@secretlint/secretlint-rule-filter-comments', disabled: true },
      ],
    },
  ],
};

export async function findSecretlintSecrets(text: string): Promise<SecretSpan[]> {
  if (!text) return [];
  const result = await lintSource({
    source: { content: text, filePath: 'prompt.txt', contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true, maskSecrets: true },
  });
  return result.messages.map((m) => ({ start: m.range[0], end: m.range[1], rule: ruleLabel(m.ruleId, m.messageId) }));
}

/** "@secretlint/secretlint-rule-aws" + "AWSSecretAccessKey" -> "aws-secret-access-key". */
function ruleLabel(ruleId: string, messageId: string): string {
  const family = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const kind = messageId
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  return kind.startsWith(family) ? kind : `${family}-${kind}`;
}
