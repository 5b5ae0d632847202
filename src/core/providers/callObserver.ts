// Tells a listener about every call a provider finishes, the moment it finishes: whoever asked for
// the call (a node run) records its tokens and cost even when its own step fails or is cancelled
// afterwards, as the server counted them.
import type { Role } from './providerSettings';
import type { Provider, TokenUsage } from './types';

export interface FinishedCall {
  role: Role;
  model: string;
  usage: TokenUsage;
}

export function withCallObserver(provider: Provider, role: Role, onCall: (call: FinishedCall) => void): Provider {
  return {
    id: provider.id,
    modelFacts: (model) => provider.modelFacts(model),
    async chat(request) {
      const result = await provider.chat(request);
      onCall({ role, model: request.model, usage: result.usage });
      return result;
    },
  };
}
