import * as vscode from 'vscode';
import type { BatonServices } from '../../../src/host/batonServices';
import type { BatonExtensionApi } from '../../../src/host/extension';

/** Baton's services in the test window (activating Baton and starting them if nothing has yet). */
export async function batonServices(): Promise<BatonServices> {
  const api = (await vscode.extensions.getExtension('baton-dev.baton')!.activate()) as BatonExtensionApi;
  return api.services();
}
