import * as vscode from 'vscode';
import type { ScriptedServer } from '../../support/scriptedServer';

/** Writes each `baton.<key>` into the workspace settings, in order; undefined removes it. */
export async function setBatonSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('baton');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Every role on the scripted server (the breaker on a model of its own), and the test command. */
export async function useScriptedModels(server: ScriptedServer, testCommand: string): Promise<void> {
  server.models = [
    { id: 'maker-model', max_model_len: 16000 },
    { id: 'breaker-model', max_model_len: 16000 },
  ];
  const roles = Object.fromEntries(
    ['maker', 'breaker', 'summariser'].map((r) => [r, { provider: 'vllm', model: r === 'breaker' ? 'breaker-model' : 'maker-model', baseURL: server.baseURL }]),
  );
  await setBatonSettings({ roles, 'tests.command': testCommand });
}
