import * as vscode from 'vscode';
import { PRESET_IDS, PROVIDER_PRESETS } from '../../core/providers/presets';
import { ROLES, type Role } from '../../core/providers/providerSettings';
import { describeRoleChange } from '../../core/providers/roleChange';
import { askModal, notifyError, notifyInfo, notifyWarning } from '../notifications';
import { labelText } from '../../core/security/untrustedText';

export const VSCODE_LM_PROVIDER = 'vscode-lm';

const ROLE_WORK: Record<Role, string> = {
  planner: 'splits a task into subtasks and budgets',
  maker: 'writes the code of a delegated subtask',
  breaker: "reviews the maker's change (best on another model)",
  summariser: 'save states and the delegate/keep classification',
};

export interface SelectModelArguments {
  provider?: string;
  model?: string;
  /** For a local server on another address (Ollama, LM Studio, vLLM) or an Azure resource. */
  baseURL?: string;
}

/**
 * "Baton: Select Model for Role": role, then provider (the presets, or VS Code's own language
 * models), then the model, written to baton.roles.<role> in the workspace settings (other fields of
 * that role, e.g. temperature, are kept unless the provider changes). Arguments: (role, { provider,
 * model, baseURL }). A provider, model or address given as an argument rather than chosen in these
 * pickers is written only after the person's yes in a modal naming each value: a `command:` link
 * can pass any argument, and the role's prompts and API key go where they say.
 */
export async function selectModelForRole(log: vscode.LogOutputChannel, roleArgument?: unknown, argument?: unknown): Promise<{ role: Role; provider: string; model: string } | undefined> {
  const args: SelectModelArguments = typeof argument === 'object' && argument !== null ? (argument as SelectModelArguments) : {};
  let role = typeof roleArgument === 'string' && (ROLES as readonly string[]).includes(roleArgument) ? (roleArgument as Role) : undefined;
  if (typeof roleArgument === 'string' && !role) {
    void notifyError(`Baton: "${roleArgument}" is not a role; the roles are ${ROLES.join(', ')}.`);
    return undefined;
  }
  const config = vscode.workspace.getConfiguration('baton');
  const roles = { ...(config.get<Record<string, Record<string, unknown>>>('roles') ?? {}) };
  if (!role) {
    role = (
      await vscode.window.showQuickPick(
        ROLES.map((r) => ({ label: r, description: ROLE_WORK[r], detail: roles[r] ? labelText(`now: ${String(roles[r].provider)} ${String(roles[r].model)}`) : 'not set', role: r })),
        { title: 'Baton: Select Model for Role', placeHolder: 'Which role?' },
      )
    )?.role;
    if (!role) return undefined;
  }

  let provider = args.provider;
  if (provider !== undefined && provider !== VSCODE_LM_PROVIDER && !(PRESET_IDS as readonly string[]).includes(provider)) {
    void notifyError(`Baton: "${provider}" is not a provider Baton knows; choose one of ${[...PRESET_IDS, VSCODE_LM_PROVIDER].join(', ')}.`);
    return undefined;
  }
  if (args.baseURL !== undefined && (typeof args.baseURL !== 'string' || !isHttpUrl(args.baseURL))) {
    void notifyError(`Baton: the base URL ${JSON.stringify(args.baseURL)} is not an http(s) URL such as http://127.0.0.1:11434/v1; baton.roles.${role} was not changed.`);
    return undefined;
  }
  if (!provider) {
    provider = (
      await vscode.window.showQuickPick(
        [
          ...PRESET_IDS.map((id) => ({ label: PROVIDER_PRESETS[id].label, description: PROVIDER_PRESETS[id].local ? 'local, no key' : 'needs an API key', detail: PROVIDER_PRESETS[id].defaultBaseURL, id: id as string })),
          { label: "VS Code's language models", description: 'e.g. GitHub Copilot, no key', detail: 'vscode.lm', id: VSCODE_LM_PROVIDER },
        ],
        { title: `Baton: provider for the ${role}`, placeHolder: 'Where does the model run?' },
      )
    )?.id;
    if (!provider) return undefined;
  }

  let model = typeof args.model === 'string' ? args.model.trim() : undefined;
  if (!model && provider === VSCODE_LM_PROVIDER) {
    const available = await vscode.lm.selectChatModels();
    if (available.length === 0) {
      void notifyWarning("Baton: VS Code offers no language models here; install or sign in to a model provider (e.g. GitHub Copilot), or pick another provider.");
      return undefined;
    }
    model = (
      await vscode.window.showQuickPick(
        available.map((m) => ({ label: labelText(m.name), description: labelText(`${m.vendor}/${m.family}`), detail: `${m.maxInputTokens} input tokens`, id: m.id })),
        { title: `Baton: VS Code language model for the ${role}` },
      )
    )?.id;
  } else if (!model) {
    const preset = PROVIDER_PRESETS[provider as (typeof PRESET_IDS)[number]];
    const hint = preset.local ? `the name the server knows it by (e.g. ${preset.id === 'ollama' ? 'qwen2.5-coder:7b' : 'qwen2.5-coder-7b-instruct'}); the server is ${preset.defaultBaseURL} unless baton.roles.${role}.baseURL says otherwise` : 'e.g. gpt-4.1';
    model = (
      await vscode.window.showInputBox({
        title: `Baton: ${preset.label} model for the ${role}`,
        prompt: `Model name: ${hint}`,
        value: roles[role]?.provider === provider ? String(roles[role]?.model ?? '') : '',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'A model name.'),
      })
    )?.trim();
  }
  if (!model) return undefined;

  const previous = roles[role];
  const kept = previous && previous.provider === provider ? previous : {};
  const next = { ...kept, provider, model, ...(args.baseURL ? { baseURL: args.baseURL } : {}) };
  if (args.provider !== undefined || args.model !== undefined || args.baseURL !== undefined) {
    const question = describeRoleChange(role, previous, { provider, model, ...(typeof next.baseURL === 'string' ? { baseURL: next.baseURL } : {}) });
    log.info(`Asking before changing baton.roles.${role}, as a command's arguments ask: ${question.message}`);
    if (!(await askModal(question.message, question.detail, `Change the ${role[0]!.toUpperCase()}${role.slice(1)}`))) {
      log.info(`baton.roles.${role} not changed: the person did not confirm.`);
      return undefined;
    }
  }
  roles[role] = next;
  await config.update('roles', roles, vscode.ConfigurationTarget.Workspace);
  log.info(`baton.roles.${role} = ${provider} ${model}${args.baseURL ? ` at ${args.baseURL}` : ''} (workspace settings)`);
  const needsKey = provider !== VSCODE_LM_PROVIDER && PROVIDER_PRESETS[provider as (typeof PRESET_IDS)[number]].needsKey;
  void notifyInfo(`Baton: the ${role} now uses ${model} (${provider}).${needsKey ? ' It needs an API key.' : ''}`, ...(needsKey ? ['Set API Key'] : [])).then((choice) => {
    if (choice) void vscode.commands.executeCommand('baton.setApiKey');
  });
  return { role, provider, model };
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}
