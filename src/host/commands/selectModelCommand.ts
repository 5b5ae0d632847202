import * as vscode from 'vscode';
import { isPresetId, keyGoesUnasked, keyNameFor, PRESET_IDS, PROVIDER_PRESETS, type ProviderPreset } from '../../core/providers/presets';
import type { KeyDestination } from '../../core/providers/router';
import { ROLES, type Role } from '../../core/providers/providerSettings';
import { describeRoleChange } from '../../core/providers/roleChange';
import { baseURLProblem, listServerModels } from '../../core/providers/serverModels';
import { askModal, notifyError, notifyInfo, notifyWarning, withProgressNotification } from '../notifications';
import type { KeyDestinations } from '../keyDestinations';
import { bindingKey, roleHealth } from '../roleHealth';
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
  /** 'baseURL': straight to the address step with the role's provider as set (an error's "Change Base URL…"). */
  startAt?: 'baseURL';
}

export interface SelectModelDependencies {
  log: vscode.LogOutputChannel;
  secrets: vscode.SecretStorage;
  /** The address chosen here is one the person said the key may go to. */
  keys: KeyDestinations;
}

/**
 * "Baton: Select Model for Role": role, provider (the presets, or VS Code's own language models),
 * the server's base URL (prefilled with the role's or the preset's, checked), the key if the preset
 * needs one and none is stored, a connection test listing the server's models to pick from (or a
 * box to type one, saying why the list failed), written to baton.roles.<role> in the workspace
 * settings (other fields of that role, e.g. temperature, are kept unless the provider changes).
 * Arguments: (role, { provider, model, baseURL }). A provider, model or address given as an argument
 * rather than chosen in these steps is written only after the person's yes in a modal naming each
 * value: a `command:` link can pass any argument, and the role's prompts and API key go where they say.
 */
export async function selectModelForRole(
  deps: SelectModelDependencies,
  roleArgument?: unknown,
  argument?: unknown,
): Promise<{ role: Role; provider: string; model: string } | undefined> {
  const { log } = deps;
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
        ROLES.map((r) => ({
          label: r,
          description: ROLE_WORK[r],
          detail: roles[r]
            ? labelText(`now: ${String(roles[r].provider)} ${String(roles[r].model)}${typeof roles[r].baseURL === 'string' ? ` at ${roles[r].baseURL}` : ''}`)
            : 'not set',
          role: r,
        })),
        { title: 'Baton: Select Model for Role', placeHolder: 'Which role?' },
      )
    )?.role;
    if (!role) return undefined;
  }
  const previous = roles[role];

  let provider =
    args.provider ?? (args.startAt === 'baseURL' && typeof previous?.provider === 'string' && isPresetId(previous.provider) ? previous.provider : undefined);
  if (provider !== undefined && provider !== VSCODE_LM_PROVIDER && !isPresetId(provider)) {
    void notifyError(`Baton: "${provider}" is not a provider Baton knows; choose one of ${[...PRESET_IDS, VSCODE_LM_PROVIDER].join(', ')}.`);
    return undefined;
  }
  const givenURLProblem = args.baseURL === undefined ? undefined : typeof args.baseURL === 'string' ? baseURLProblem(args.baseURL) : 'it is not text';
  if (givenURLProblem) {
    void notifyError(`Baton: the base URL ${JSON.stringify(args.baseURL)} cannot be used: ${givenURLProblem} baton.roles.${role} was not changed.`);
    return undefined;
  }
  if (!provider) {
    provider = (
      await vscode.window.showQuickPick(
        [
          ...PRESET_IDS.map((id) => ({
            label: PROVIDER_PRESETS[id].label,
            description: PROVIDER_PRESETS[id].local ? 'local, no key' : 'needs an API key',
            detail: PROVIDER_PRESETS[id].defaultBaseURL,
            id: id as string,
          })),
          { label: "VS Code's language models", description: 'e.g. GitHub Copilot, no key', detail: 'vscode.lm', id: VSCODE_LM_PROVIDER },
        ],
        { title: `Baton: provider for the ${role}`, placeHolder: 'Where does the model run?' },
      )
    )?.id;
    if (!provider) return undefined;
  }
  const sameProvider = previous?.provider === provider;

  let model = typeof args.model === 'string' ? args.model.trim() : undefined;
  let baseURL = typeof args.baseURL === 'string' ? args.baseURL.trim() : undefined;
  if (!model && provider === VSCODE_LM_PROVIDER) {
    model = await pickLanguageModel(role);
  } else if (!model && isPresetId(provider)) {
    const preset = PROVIDER_PRESETS[provider];
    const destination = (address: string): KeyDestination => ({ role, providerId: preset.id, keyName: keyNameFor(preset.id), baseURL: address });
    const given = baseURL !== undefined;
    // The box starts at the role's address only where its key may already go: one Enter must not approve a repository's.
    const previousURL = sameProvider && typeof previous?.baseURL === 'string' ? previous.baseURL : undefined;
    const prefill = previousURL && (await deps.keys.mayGoTo(destination(previousURL), false)) ? previousURL : preset.defaultBaseURL;
    baseURL ??= await askBaseURL(role, preset, prefill);
    if (!baseURL) return undefined;
    const key = await keyFor(deps.secrets, preset, log);
    if (key === null) return undefined;
    // Listing the models sends the key: to an address typed here, the person's; to one a command's arguments gave, on their yes.
    if (key && !keyGoesUnasked(destination(baseURL))) {
      if (!given) await deps.keys.remember(keyNameFor(preset.id), baseURL);
      else if (!(await deps.keys.mayGoTo(destination(baseURL), true))) return undefined;
    }
    model = await pickServerModel(role, preset, baseURL, key, sameProvider ? String(previous?.model ?? '') : '');
  } else if (model && baseURL === undefined && sameProvider && typeof previous?.baseURL === 'string') {
    baseURL = previous.baseURL; // a scripted model change keeps the role's address
  }
  if (!model) return undefined;

  // Other fields of the role (temperature, ...) stay while the provider does; the address is the one chosen now.
  const keptFields = Object.fromEntries(Object.entries(previous && sameProvider ? previous : {}).filter(([key]) => key !== 'baseURL'));
  const customURL = baseURL && isPresetId(provider) && baseURL.replace(/\/+$/, '') !== PROVIDER_PRESETS[provider].defaultBaseURL ? baseURL : undefined;
  const next = { ...keptFields, provider, model, ...(customURL ? { baseURL: customURL } : {}) };
  if (args.provider !== undefined || args.model !== undefined || args.baseURL !== undefined) {
    const question = describeRoleChange(role, previous, { provider, model, ...(customURL ? { baseURL: customURL } : {}) });
    log.info(`Asking before changing baton.roles.${role}, as a command's arguments ask: ${question.message}`);
    if (!(await askModal(question.message, question.detail, `Change the ${role[0]!.toUpperCase()}${role.slice(1)}`))) {
      log.info(`baton.roles.${role} not changed: the person did not confirm.`);
      return undefined;
    }
  }
  roles[role] = next;
  await config.update('roles', roles, vscode.ConfigurationTarget.Workspace);
  // Chosen here (or confirmed, for a command's arguments): the role's key may go to this address.
  if (customURL && isPresetId(provider) && keptFields.keyName === undefined) await deps.keys.remember(keyNameFor(provider), customURL);
  log.info(`baton.roles.${role} = ${provider} ${model}${customURL ? ` at ${customURL}` : ''} (workspace settings)`);
  void notifyInfo(`Baton: the ${role} now uses ${model} (${provider})${baseURL ? ` at ${baseURL}` : ''}.`);
  return { role, provider, model };
}

async function pickLanguageModel(role: Role): Promise<string | undefined> {
  const available = await vscode.lm.selectChatModels();
  if (available.length === 0) {
    void notifyWarning(
      'Baton: VS Code offers no language models here; install or sign in to a model provider (e.g. GitHub Copilot), or pick another provider.',
    );
    return undefined;
  }
  return (
    await vscode.window.showQuickPick(
      available.map((m) => ({
        label: labelText(m.name),
        description: labelText(`${m.vendor}/${m.family}`),
        detail: `${m.maxInputTokens} input tokens`,
        id: m.id,
      })),
      { title: `Baton: VS Code language model for the ${role}` },
    )
  )?.id;
}

async function askBaseURL(role: Role, preset: ProviderPreset, current: string): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: `Baton: ${preset.label} base URL for the ${role}`,
    prompt: `The server's OpenAI-compatible address (${preset.label}'s default: ${preset.defaultBaseURL}). Its models are listed next.`,
    value: current,
    ignoreFocusOut: true,
    validateInput: (v) =>
      baseURLProblem(v) ?? (preset.id === 'azure' && v.includes('RESOURCE') ? "Put your Azure resource's name in place of RESOURCE." : undefined),
  });
  return typed?.trim().replace(/\/+$/, '');
}

/** The stored key; asked for (and stored) when the preset needs one and none is stored; null: cancelled. */
async function keyFor(secrets: vscode.SecretStorage, preset: ProviderPreset, log: vscode.LogOutputChannel): Promise<string | undefined | null> {
  const name = keyNameFor(preset.id);
  const stored = await secrets.get(name);
  if (stored || !preset.needsKey) return stored;
  const key = (
    await vscode.window.showInputBox({
      title: `Baton: API key for ${preset.label}`,
      prompt: `Kept in VS Code's SecretStorage as "${name}", never in settings.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : `${preset.label} needs a key; press Escape to stop.`),
    })
  )?.trim();
  if (!key) return null;
  await secrets.store(name, key);
  log.info(`Stored the API key for ${preset.label} in SecretStorage as ${name}.`); // never the key itself
  return key;
}

/** Test Connection: the server's models to pick from, or a box to type one in saying why there is no list. */
async function pickServerModel(role: Role, preset: ProviderPreset, baseURL: string, apiKey: string | undefined, current: string): Promise<string | undefined> {
  const listing = await withProgressNotification(`Baton: testing the connection to ${baseURL}…`, (_progress, token) => {
    const stop = new AbortController();
    token.onCancellationRequested(() => stop.abort());
    return listServerModels(preset.id, baseURL, { ...(apiKey ? { apiKey } : {}), signal: stop.signal });
  });
  const binding = (model: string): string => bindingKey(preset.id, model, baseURL);
  if (listing.ok) {
    const typeOne = { label: '$(edit) Type a model name…', id: '' };
    const picked = await vscode.window.showQuickPick(
      [...listing.models.map((m) => ({ label: labelText(m), description: m === current ? 'now' : '', id: m })), typeOne],
      {
        title: `Baton: ${preset.label} model for the ${role} (connected: ${listing.models.length} model${listing.models.length === 1 ? '' : 's'} at ${baseURL})`,
        placeHolder: 'Which model?',
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    const model = picked.id || (await typeModel(role, preset, `Connected to ${baseURL}.`, current));
    if (model) roleHealth.mark(role, { state: 'ok', reason: `connected: ${listing.models.length} models listed`, binding: binding(model) });
    return model;
  }
  const model = await typeModel(role, preset, `Could not list the models: ${listing.reason}. Type the name the server knows the model by.`, current);
  if (model) roleHealth.mark(role, { state: 'failing', reason: listing.reason, binding: binding(model) });
  return model;
}

async function typeModel(role: Role, preset: ProviderPreset, why: string, current: string): Promise<string | undefined> {
  const example =
    preset.id === 'ollama' ? 'qwen2.5-coder:7b' : preset.local ? 'qwen2.5-coder-7b-instruct' : preset.id === 'azure' ? 'your deployment name' : 'gpt-4.1';
  return (
    await vscode.window.showInputBox({
      title: `Baton: ${preset.label} model for the ${role}`,
      prompt: `${why} (e.g. ${example})`,
      value: current,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A model name.'),
    })
  )?.trim();
}
