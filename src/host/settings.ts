import * as vscode from 'vscode';
import { notifyWarning } from './notifications';

export interface ContextSettings {
  budget: number;
  model: string;
  maxFileBytes: number;
}

interface Rule<T> {
  key: keyof ContextSettings;
  fallback: T;
  need: string;
  valid(value: unknown): value is T;
}

// The manifest's defaults and minimums, repeated here because a hand-edited settings.json is not
// checked against them: a bad value reaches us as it was typed.
const RULES: { [K in keyof ContextSettings]: Rule<ContextSettings[K]> } = {
  budget: {
    key: 'budget',
    fallback: 16000,
    need: 'a whole number of tokens, at least 1000',
    valid: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1000 && v <= 10_000_000,
  },
  model: {
    key: 'model',
    fallback: 'gpt-4o',
    need: 'a model name such as gpt-4o',
    valid: (v): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 200,
  },
  maxFileBytes: {
    key: 'maxFileBytes',
    fallback: 1048576,
    need: 'a whole number of bytes, at least 1024',
    valid: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1024,
  },
};

/**
 * Reads baton.context.* for a folder. A bad value gets a warning naming the setting (once per
 * distinct value, not on every plan) and its default is used instead.
 */
export class ContextSettingsReader {
  private readonly warned = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  read(scope?: vscode.ConfigurationScope): ContextSettings {
    const config = vscode.workspace.getConfiguration('baton.context', scope);
    return {
      budget: this.value(config, RULES.budget),
      model: this.value(config, RULES.model).trim(),
      maxFileBytes: this.value(config, RULES.maxFileBytes),
    };
  }

  private value<T>(config: vscode.WorkspaceConfiguration, rule: Rule<T>): T {
    const value = config.get<unknown>(rule.key);
    if (value === undefined) return rule.fallback;
    if (rule.valid(value)) return value;
    const setting = `baton.context.${rule.key}`;
    const seen = `${setting}=${JSON.stringify(value)}`;
    if (!this.warned.has(seen)) {
      this.warned.add(seen);
      const message = `Baton: the setting ${setting} is ${JSON.stringify(value)}, but it needs ${rule.need}; using ${JSON.stringify(rule.fallback)} instead.`;
      this.log.warn(message);
      void notifyWarning(message, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
      });
    }
    return rule.fallback;
  }
}
