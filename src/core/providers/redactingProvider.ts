// The last gate before a prompt leaves the machine: every message of every call, whatever role
// built it (planner, maker, breaker with its diff, summariser with test output), is redacted. The
// context engine already redacts what it packs; this catches what other prompts carry.
import type { ChatRequest, ChatResult, ModelFacts, Provider } from './types';
import { redactSecrets, type RedactionFinding } from '../security/redact';

export function withSecretRedaction(provider: Provider, onRedacted?: (findings: RedactionFinding[]) => void): Provider {
  return {
    id: provider.id,
    async chat(request: ChatRequest): Promise<ChatResult> {
      const findings: RedactionFinding[] = [];
      const messages = await Promise.all(
        request.messages.map(async (message) => {
          const redacted = await redactSecrets(message.content);
          findings.push(...redacted.findings);
          return redacted.findings.length ? { ...message, content: redacted.text } : message;
        }),
      );
      if (findings.length) onRedacted?.(findings);
      return provider.chat({ ...request, messages });
    },
    modelFacts(model: string): Promise<ModelFacts> {
      return provider.modelFacts(model);
    },
  };
}
