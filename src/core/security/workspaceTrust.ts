// Settings an untrusted workspace cannot set. A folder someone else wrote can hold
// .vscode/settings.json; in a workspace the person has not trusted, its values for endpoints,
// provider settings and the test command must not redirect requests (and keys) elsewhere or run
// anything. VS Code enforces this through the manifest's `restrictedConfigurations`; the host reads
// through these functions too, so the rule holds whatever the editor does.

/** What VS Code's `WorkspaceConfiguration.inspect` reports (the scopes Baton reads). */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** The value to use: as resolved when the workspace is trusted, else only the person's own (user) value or the default. */
export function trustedSettingValue<T>(workspaceTrusted: boolean, resolved: T | undefined, inspected: InspectedSetting<T> | undefined): T | undefined {
  return workspaceTrusted ? resolved : (inspected?.globalValue ?? inspected?.defaultValue);
}

/** Only what someone set (no default): the most specific scope when trusted, else the user's own value. */
export function settingSetByPerson<T>(workspaceTrusted: boolean, inspected: InspectedSetting<T> | undefined): T | undefined {
  if (!inspected) return undefined;
  return workspaceTrusted ? (inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue) : inspected.globalValue;
}
