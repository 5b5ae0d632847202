export class UsageError extends Error {}

export const USAGE = `Usage: baton <command> [options]

Commands:
  context   Plan what a model would see for a task, within a token budget (no model needed).
  plan      Split a task into a tree of subtasks with budgets, using a model (OpenAI-compatible).
  journal   What was delegated and what was kept, caught and spent, per task and per day.
  mcp       Serve the context engine to other tools (Claude Code, Copilot, Cursor, ...) over MCP.

baton context --repo DIR (--task TEXT | --task-file FILE) --budget N [options]
  --repo DIR            the workspace folder to plan from
  --task TEXT           the task, as text
  --task-file FILE      the task, read from a file
  --budget N            tokens of the whole prompt (answer reserve included)
  --model NAME          model whose tokenizer counts the budget (default: cl100k_base)
  --reserve N           tokens kept for the answer (default: a tenth of the budget, at most 4096)
  --pin PATH            always include this file (repeatable)
  --drop PATH           never include this file (repeatable)
  --max-file-bytes N    leave out files larger than this (default 1048576)
  --json FILE           also write { ranking, prompt, context, ledger } as JSON to FILE
  --print-prompt        print the prompt itself after the ledger
  --explain             under each item, why it is whole, excerpts or an outline, and why each range
  --index-cache DIR     keep the index cache under DIR (default: $XDG_CACHE_HOME/baton, else
                        ~/.cache/baton; ~/Library/Caches/baton on macOS, %LOCALAPPDATA%\\baton\\Cache
                        on Windows). Never inside the repository unless DIR says so.
  --no-index-cache      index from scratch and keep nothing

baton plan --repo DIR (--task TEXT | --task-file FILE) [--budget N] [--model NAME] [--json FILE] [--save]
  --budget N            tokens for the whole task (default 32000), split among the subtasks
  --model NAME          the model for every role (default: $OPENAI_MODEL)
  --json FILE           also write the tree, the planner's ledger and pre-flight estimates as JSON
  --save                save the tree to DIR/.baton/tree.json
  The server is $OPENAI_BASE_URL (default OpenAI) with the key $OPENAI_API_KEY; any server that
  honours response_format json_schema works (OpenAI, Ollama, vLLM, LM Studio, OpenRouter, ...).

baton journal [--repo DIR] [--since DATE] [--json FILE]
  --repo DIR            the workspace folder (default: the current one); reads DIR/.baton/journal.jsonl
  --since DATE          only events from then on: 2025-01-31, an ISO time, or 7d (the last seven days)
  --json FILE           also write the figures (total, per task, per day) as JSON to FILE

baton mcp [--repo DIR]... [--http PORT] [--max-file-bytes N] [--index-cache DIR | --no-index-cache]
  --repo DIR            a workspace folder to serve (repeatable; default: the current folder);
                        the tools plan_context, find_definitions and outline refuse any other root
  --http PORT           streamable HTTP at http://127.0.0.1:PORT/mcp (0: a free port) instead of stdio
  The index is built on the first call and kept; --max-file-bytes and the index cache as for context.
`;
