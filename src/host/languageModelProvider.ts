import * as vscode from 'vscode';
import { encodingForModel } from '../core/tokens/encodings';
import {
  AuthenticationError,
  BadResponseError,
  CancelledError,
  IncompleteStreamError,
  RequestRejectedError,
  type ProviderErrorContext,
} from '../core/providers/errors';
import type { ChatRequest, ChatResult, ModelFacts, Provider } from '../core/providers/types';

/**
 * VS Code's Language Model API (`vscode.lm`, e.g. Copilot's models) as a Provider. The model is
 * chosen by id, family or vendor/family ("copilot/gpt-4o"). The API has no system role and reports
 * no usage: system text goes first as a user message, and usage is counted with the model's own
 * tokenizer (`countTokens`), marked estimated. It has no structured output either: callers ask for
 * JSON in the prompt and validate it, as they do for every provider.
 */
export class LanguageModelProvider implements Provider {
  readonly id = 'vscode-lm';

  async chat(request: ChatRequest): Promise<ChatResult> {
    const context: ProviderErrorContext = { providerId: this.id, model: request.model };
    if (request.signal?.aborted) throw new CancelledError(context);
    const model = await this.select(request.model);
    const messages = request.messages.map((m) =>
      m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content),
    );
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    request.signal?.addEventListener('abort', onAbort);
    try {
      const response = await model.sendRequest(messages, { justification: 'Baton delegates a planned task step to this model.' }, cancel.token);
      let text = '';
      for await (const piece of response.text) {
        text += piece;
        request.onDelta?.(piece);
      }
      if (request.signal?.aborted) throw new CancelledError(context);
      const input = (await Promise.all(request.messages.map((m) => model.countTokens(m.content)))).reduce((a, b) => a + b, 0);
      return { text, finishReason: 'stop', usage: { inputTokens: input, outputTokens: await model.countTokens(text), estimated: true }, model: model.id };
    } catch (err) {
      throw this.translate(err, context, request.signal);
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  async modelFacts(modelName: string): Promise<ModelFacts> {
    const model = await this.select(modelName);
    return {
      contextWindow: model.maxInputTokens,
      // The API does not say; a conservative share of the window keeps prompts from crowding answers.
      maxOutputTokens: Math.min(4096, Math.floor(model.maxInputTokens / 4)),
      inputPricePerMTok: 0,
      outputPricePerMTok: 0,
      encoding: encodingForModel(model.family),
      source: `vscode.lm: ${model.vendor}/${model.family} reports ${model.maxInputTokens} input tokens`,
    };
  }

  private async select(name: string): Promise<vscode.LanguageModelChat> {
    const [vendor, family] = name.includes('/') ? name.split('/', 2) : [undefined, name];
    const byId = await vscode.lm.selectChatModels({ id: name });
    const models = byId.length ? byId : await vscode.lm.selectChatModels(vendor ? { vendor, family } : { family });
    const model = models[0];
    if (!model) {
      throw new RequestRejectedError(
        { providerId: this.id, model: name },
        404,
        `no language model "${name}" is available in VS Code. Install or sign in to a model provider (e.g. GitHub Copilot), or choose another model with "Baton: Select Model for Role"`,
      );
    }
    return model;
  }

  private translate(err: unknown, context: ProviderErrorContext, signal: AbortSignal | undefined): Error {
    if (signal?.aborted || err instanceof vscode.CancellationError) return new CancelledError(context);
    if (err instanceof vscode.LanguageModelError) {
      if (err.code === vscode.LanguageModelError.NoPermissions.name) return new AuthenticationError(context, 403, undefined, err.message);
      if (err.code === vscode.LanguageModelError.NotFound.name) return new RequestRejectedError(context, 404, err.message);
      return new RequestRejectedError(context, 400, err.message);
    }
    if (err instanceof CancelledError || err instanceof RequestRejectedError) return err;
    if (err instanceof Error && /stream|aborted/i.test(err.message)) return new IncompleteStreamError(context, 0, err.message);
    return new BadResponseError(context, err instanceof Error ? err.message : String(err), { cause: err });
  }
}
