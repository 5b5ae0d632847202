import type { Logger } from '../ports';
import type { Provider } from './types';

/**
 * Logs every call a role makes: the model, its size, the outcome and the time, never a key or a
 * message's text (prompts hold workspace content; the ledger is where the person sees that).
 */
export function withCallLog(provider: Provider, log: Logger, role: string): Provider {
  return {
    id: provider.id,
    modelFacts: (model) => provider.modelFacts(model),
    async chat(request) {
      const started = Date.now();
      const chars = request.messages.reduce((n, m) => n + m.content.length, 0);
      log.info(
        `${role}: calling ${provider.id} (${request.model}) with ${request.messages.length} messages, ${chars} characters${request.responseFormat ? `, structured "${request.responseFormat.name}"` : ''}`,
      );
      try {
        const result = await provider.chat(request);
        log.info(
          `${role}: ${provider.id} (${result.model}) answered in ${Date.now() - started} ms: ${result.usage.inputTokens} input + ${result.usage.outputTokens} output tokens` +
            `${result.usage.estimated ? ' (estimated)' : ''}, finish ${result.finishReason}`,
        );
        return result;
      } catch (err) {
        log.warn(`${role}: ${provider.id} (${request.model}) failed after ${Date.now() - started} ms: ${(err as Error).message}`);
        throw err;
      }
    },
  };
}
