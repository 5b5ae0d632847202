// Setting up a model: which base URLs Baton accepts, the models a real server lists, and what a
// person reads when the server cannot be reached.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { connectionFailureReason } from '../../src/core/providers/connectionFailure';
import { baseURLProblem, listServerModels } from '../../src/core/providers/serverModels';
import { ScriptedServer } from '../support/scriptedServer';

describe('base URL check', () => {
  it('accepts http and https addresses', () => {
    for (const url of [
      'http://127.0.0.1:11434/v1',
      'https://api.openai.com/v1',
      ' http://localhost:1234/v1/ ',
      'https://my-resource.openai.azure.com/openai',
    ]) {
      assert.equal(baseURLProblem(url), undefined, url);
    }
  });

  it('names what is wrong and how to write it instead', () => {
    assert.match(baseURLProblem('') ?? '', /Type the server's address, such as http:\/\/127\.0\.0\.1:11434\/v1/);
    assert.match(baseURLProblem('127.0.0.1:11434') ?? '', /is not http or https|is not a URL/);
    assert.match(baseURLProblem('localhost 1234') ?? '', /"localhost 1234" is not a URL; write it in full/);
    assert.match(baseURLProblem('ftp://example.com/v1') ?? '', /ftp: is not http or https/);
    assert.match(baseURLProblem('file:///etc/passwd') ?? '', /file: is not http or https/);
  });

  it('refuses a user name or password in the URL, since settings are plain text', () => {
    assert.match(baseURLProblem('https://me:sk-secret@api.example.com/v1') ?? '', /Take the user name and password out of the URL.*SecretStorage/);
    assert.match(baseURLProblem('https://sk-secret@api.example.com/v1') ?? '', /user name and password/);
  });

  it('refuses a query or fragment, which would break the paths Baton adds', () => {
    assert.match(baseURLProblem('http://127.0.0.1:8000/v1?key=abc') ?? '', /Leave out the \?query/);
  });
});

describe("listing a server's models", () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists the ids from <baseURL>/models, sorted, sending the key as a bearer token', async () => {
    server.models = [{ id: 'qwen2.5-coder-7b-instruct' }, { id: 'llama-3.1-8b' }];
    const listing = await listServerModels('lmstudio', `${server.baseURL}/`, { apiKey: 'sk-test' });
    assert.deepEqual(listing, { ok: true, models: ['llama-3.1-8b', 'qwen2.5-coder-7b-instruct'], source: `${server.baseURL}/models` });
    assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer sk-test');
  });

  it("lists Ollama's models from /api/tags beside its /v1 address", async () => {
    server.ollamaModels.set('qwen2.5-coder:7b', { trainedContext: 32_768 });
    server.ollamaModels.set('llama3.1', { trainedContext: 131_072 });
    const listing = await listServerModels('ollama', server.baseURL);
    assert.deepEqual(listing, { ok: true, models: ['llama3.1:latest', 'qwen2.5-coder:7b'], source: `${server.url}/api/tags` });
    assert.equal(server.requests.at(-1)?.path, '/api/tags');
  });

  it('says the server lists no models when its list is empty', async () => {
    const listing = await listServerModels('vllm', server.baseURL);
    assert.deepEqual(listing, { ok: false, reason: `${server.baseURL}/models lists no models (load or pull one on the server first)` });
  });

  it('says which address answered what when it is not an OpenAI-compatible one', async () => {
    const listing = await listServerModels('ollama', `${server.url}/wrong/v1`);
    assert.equal(listing.ok, false);
    assert.match(
      listing.ok ? '' : listing.reason,
      /\/wrong\/api\/tags answered HTTP 404; is this the server's OpenAI-compatible address \(usually ending in \/v1\)\?/,
    );
  });

  it('says the connection was refused, with the address, when nothing listens there', async () => {
    const url = server.baseURL;
    await server.close();
    const listing = await listServerModels('lmstudio', url);
    assert.deepEqual(listing, { ok: false, reason: `could not reach ${url}: connection refused (is the server running on that port?)` });
  });
});

describe('connection failure in words', () => {
  it('finds the system error code under "fetch failed"', () => {
    const error = new Error('Connection error.', {
      cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }) }),
    });
    assert.equal(connectionFailureReason(error), 'no such host');
  });

  it('says an https URL for an http server fails its TLS handshake', async () => {
    const plain = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as { port: number };
    try {
      const listing = await listServerModels('vllm', `https://127.0.0.1:${port}/v1`);
      assert.equal(listing.ok, false);
      assert.match(listing.ok ? '' : listing.reason, new RegExp(`could not reach https://127\\.0\\.0\\.1:${port}/v1: .*(TLS|SSL|wrong version)`, 'i'));
    } finally {
      plain.close();
    }
  });

  it('keeps an unknown code with its message rather than "fetch failed"', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNABORTED' }) });
    assert.equal(connectionFailureReason(error), 'socket hang up (ECONNABORTED)');
  });
});
