import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The per-user folder for what the command line keeps about you and must not lose (your settings,
 * the keys that sign checkpoints): $XDG_CONFIG_HOME/baton, else the platform's usual config folder.
 * Never inside a repository.
 */
export function defaultConfigRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'baton');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'baton');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'baton');
  return join(home, '.config', 'baton');
}
