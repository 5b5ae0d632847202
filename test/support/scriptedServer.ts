// A real HTTP server on 127.0.0.1 that speaks OpenAI's chat completions API (streamed and not),
// /v1/models, and Ollama's /api/show, /api/ps and /api/tags, answering from a script and failing on demand.
// Plain Node (no test framework, no globals) so unit tests, benchmarks and the in-editor suite
// can all drive providers through the real `openai` client against it.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Ways an answer can go wrong, each as a real server or network would do it. */
export type ScriptedFault =
  /** Half the answer, then the TCP connection is destroyed. */
  | 'reset-mid-stream'
  /** The connection is destroyed before any response headers. */
  | 'reset-before-headers'
  /** Half the answer, then an SSE event whose data is not JSON. */
  | 'malformed-sse'
  /** Half the answer, then an SSE event carrying {"error": ...}, then the end. */
  | 'error-event'
  /** Half the answer, then silence with the connection left open. */
  | 'idle-after-text'
  /** The request is read and never answered: no headers, connection open. */
  | 'hang-before-headers';

export interface ScriptedReply {
  /** An HTTP error status (429, 500, 503...): answered with an OpenAI-style error body. */
  status?: number;
  /** Retry-After header value, seconds ("2") or an HTTP date. */
  retryAfter?: string;
  errorMessage?: string;
  headers?: Record<string, string>;
  /** The answer text. */
  text?: string;
  /** A structured answer: the text is JSON.stringify(json). */
  json?: unknown;
  /** Characters per streamed chunk (default 16); raise it for huge answers. */
  chunkChars?: number;
  /** Pause before each chunk, in ms (default 0). */
  chunkDelayMs?: number;
  /** Default 'stop'; null sends none (the stream still ends with [DONE]). */
  finishReason?: string | null;
  /** Default: about four characters a token; null sends no usage at all. */
  usage?: { promptTokens: number; completionTokens: number } | null;
  /** The model named in the answer (default: the requested one). */
  model?: string;
  fault?: ScriptedFault;
}

export type ScriptStep = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
  rawBody: string;
  receivedAt: number;
}

/** An Ollama model as /api/show and /api/ps describe it. */
export interface OllamaModelSpec {
  /** model_info "<arch>.context_length": the trained maximum. */
  trainedContext: number;
  /** `num_ctx` in the model's parameters (Modelfile PARAMETER num_ctx). */
  numCtx?: number;
  /** When set, the model is loaded and /api/ps reports this context_length. */
  loadedContext?: number;
  architecture?: string;
}

export interface ScriptedServerOptions {
  /** Answer for chat calls once the script runs out (default: HTTP 400 naming the call). */
  defaultReply?: ScriptedReply;
  /**
   * False: the server has no structured output, and answers a request asking for response_format
   * json_schema with HTTP 400 naming it, as servers without it do (no script step is used).
   */
  structuredOutput?: boolean;
}

export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  /** Entries of GET /v1/models ({ id, max_model_len?, context_length?, ... }). */
  models: Array<Record<string, unknown> & { id: string }> = [];
  readonly ollamaModels = new Map<string, OllamaModelSpec>();
  defaultReply: ScriptedReply | undefined;
  structuredOutput: boolean;

  private readonly script: ScriptStep[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private chatCalls = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    options: ScriptedServerOptions,
  ) {
    this.defaultReply = options.defaultReply;
    this.structuredOutput = options.structuredOutput ?? true;
  }

  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    // The server must exist before its address (and so the instance) is known.
    const holder: { instance?: ScriptedServer } = {};
    const server = createServer((req, res) => {
      void holder.instance?.handle(req, res);
    });
    // Idle connections stay open until the client or close() ends them. With Node's 5 s keep-alive
    // timeout, a loaded machine can fire the server's timer just as the client reuses the connection
    // (timers run before the waiting request is read), and the request dies with ECONNRESET.
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const instance = new ScriptedServer(server, `http://127.0.0.1:${port}`, options);
    holder.instance = instance;
    server.on('connection', (socket) => {
      instance.sockets.add(socket);
      socket.on('close', () => instance.sockets.delete(socket));
    });
    return instance;
  }

  /** The OpenAI-compatible base URL ("http://127.0.0.1:PORT/v1"). */
  get baseURL(): string {
    return `${this.url}/v1`;
  }

  /** Adds answers for the next chat calls, in order. */
  enqueue(...steps: ScriptStep[]): this {
    this.script.push(...steps);
    return this;
  }

  /** The recorded chat completion requests, in arrival order. */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  }

  /** Scripted steps not used yet. */
  get pendingSteps(): number {
    return this.script.length;
  }

  /** Stops answering and drops every open connection, including hung and idle ones. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseJson(rawBody),
      rawBody,
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    if (recorded.method === 'POST' && url.pathname.endsWith('/chat/completions')) return this.answerChat(recorded, res);
    if (recorded.method === 'GET' && url.pathname.endsWith('/models')) return sendJson(res, 200, { object: 'list', data: this.models });
    if (recorded.method === 'POST' && url.pathname === '/api/show') return this.answerOllamaShow(recorded, res);
    if (recorded.method === 'GET' && url.pathname === '/api/ps') return this.answerOllamaPs(res);
    if (recorded.method === 'GET' && url.pathname === '/api/tags')
      return sendJson(res, 200, { models: [...this.ollamaModels.keys()].map((name) => ({ name: name.includes(':') ? name : `${name}:latest`, model: name })) });
    sendJson(res, 404, { error: { message: `scripted server: nothing at ${recorded.method} ${url.pathname}`, type: 'not_found' } });
  }

  private async answerChat(request: RecordedRequest, res: ServerResponse): Promise<void> {
    this.chatCalls += 1;
    const format = (request.body as { response_format?: { type?: unknown } } | undefined)?.response_format?.type;
    if (!this.structuredOutput && format === 'json_schema') {
      return sendJson(res, 400, {
        error: { message: "response_format type 'json_schema' is not supported by this server", type: 'invalid_request_error', param: 'response_format' },
      });
    }
    const step = this.script.shift();
    const reply = typeof step === 'function' ? step(request) : (step ?? this.defaultReply);
    if (!reply) {
      return sendJson(res, 400, { error: { message: `scripted server: no reply scripted for chat call ${this.chatCalls}`, type: 'invalid_request_error' } });
    }
    if (reply.fault === 'hang-before-headers') return; // never answered; close() drops the socket
    if (reply.fault === 'reset-before-headers') {
      socketOf(res).destroy();
      return;
    }
    if (reply.status !== undefined && reply.status >= 400) {
      const headers: Record<string, string> = { ...reply.headers };
      if (reply.retryAfter !== undefined) headers['retry-after'] = reply.retryAfter;
      return sendJson(
        res,
        reply.status,
        { error: { message: reply.errorMessage ?? `scripted HTTP ${reply.status}`, type: 'scripted_error', code: String(reply.status) } },
        headers,
      );
    }
    const body = (request.body ?? {}) as {
      model?: string;
      stream?: boolean;
      messages?: Array<{ content?: unknown }>;
      stream_options?: { include_usage?: boolean };
    };
    const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    const model = reply.model ?? body.model ?? 'scripted-model';
    const finishReason = reply.finishReason === undefined ? 'stop' : reply.finishReason;
    const usage = reply.usage === null ? undefined : (reply.usage ?? roughUsage(body.messages ?? [], text));
    const usageFields = usage && {
      prompt_tokens: usage.promptTokens,
      completion_tokens: usage.completionTokens,
      total_tokens: usage.promptTokens + usage.completionTokens,
    };
    const id = `chatcmpl-scripted-${this.chatCalls}`;
    const created = Math.floor(Date.now() / 1000);

    if (!body.stream) {
      return sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
          ...(usageFields ? { usage: usageFields } : {}),
        },
        reply.headers,
      );
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...reply.headers });
    // Events go out in one write until the script asks for a pause: on a loaded machine, separate
    // loopback writes can reach the client hundreds of ms apart, gaps no script asked for that would
    // trip a short idle limit. The client still parses every event on its own.
    let pending = '';
    const event = (data: unknown): void => {
      pending += `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
    };
    const flush = (): boolean => {
      const text = pending;
      pending = '';
      return this.write(res, text);
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null): Record<string, unknown> => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    event(chunk({ role: 'assistant', content: '' }, null));
    const faultAt = reply.fault ? Math.floor(text.length / 2) : text.length;
    const size = Math.max(1, reply.chunkChars ?? 16);
    for (let at = 0; at < faultAt; at += size) {
      if (reply.chunkDelayMs) {
        if (!flush()) return;
        await this.pause(reply.chunkDelayMs);
      }
      event(chunk({ content: text.slice(at, Math.min(at + size, faultAt)) }, null));
    }
    switch (reply.fault) {
      case 'reset-mid-stream':
        if (!flush()) return;
        await this.pause(20); // let the half answer reach the client first
        socketOf(res).destroy();
        return;
      case 'malformed-sse':
        event('{"id": "broken", "choices": [');
        break;
      case 'error-event':
        event({ error: { message: 'scripted error event mid-stream', type: 'server_error' } });
        break;
      case 'idle-after-text':
        flush();
        return; // silence; close() drops the socket
      default:
        if (finishReason !== null) event(chunk({}, finishReason));
        if (usageFields && body.stream_options?.include_usage) event({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageFields });
        event('[DONE]');
    }
    if (flush()) res.end();
  }

  private answerOllamaShow(request: RecordedRequest, res: ServerResponse): void {
    const name = String(
      (request.body as { model?: unknown; name?: unknown } | undefined)?.model ?? (request.body as { name?: unknown } | undefined)?.name ?? '',
    );
    const spec = this.ollamaModels.get(name) ?? this.ollamaModels.get(name.replace(/:latest$/, ''));
    if (!spec) return sendJson(res, 404, { error: `model '${name}' not found` });
    const arch = spec.architecture ?? 'llama';
    const parameters = [spec.numCtx ? `num_ctx                        ${spec.numCtx}` : undefined, 'stop                           "<|eot_id|>"']
      .filter(Boolean)
      .join('\n');
    sendJson(res, 200, {
      modelfile: `# Modelfile generated by "ollama show"\nFROM ${name}\n`,
      parameters,
      template: '{{ .Prompt }}',
      details: { parent_model: '', format: 'gguf', family: arch, families: [arch], parameter_size: '8.0B', quantization_level: 'Q4_0' },
      model_info: { 'general.architecture': arch, [`${arch}.context_length`]: spec.trainedContext, [`${arch}.embedding_length`]: 4096 },
    });
  }

  private answerOllamaPs(res: ServerResponse): void {
    const models = [...this.ollamaModels]
      .filter(([, spec]) => spec.loadedContext !== undefined)
      .map(([name, spec]) => {
        const tagged = name.includes(':') ? name : `${name}:latest`;
        return {
          name: tagged,
          model: tagged,
          size: 5_000_000_000,
          digest: 'scripted',
          details: { format: 'gguf' },
          expires_at: new Date(Date.now() + 300_000).toISOString(),
          size_vram: 5_000_000_000,
          context_length: spec.loadedContext,
        };
      });
    sendJson(res, 200, { models });
  }

  private write(res: ServerResponse, text: string): boolean {
    if (this.closed || res.destroyed || res.writableEnded) return false;
    res.write(text);
    return true;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function socketOf(res: ServerResponse): Socket {
  return res.socket as Socket;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function roughUsage(messages: Array<{ content?: unknown }>, answer: string): { promptTokens: number; completionTokens: number } {
  const promptChars = messages.reduce((sum, m) => sum + (typeof m.content === 'string' ? m.content.length : 0), 0);
  return { promptTokens: Math.ceil(promptChars / 4) + 3, completionTokens: Math.ceil(answer.length / 4) };
}
