// Every message between the extension host and the sidebar webview, defined once.
// Both sides validate what arrives with these schemas: a webview is untrusted input.
import { z } from 'zod';

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('showContextPlan') }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

export const HostToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), workspaceName: z.string().nullable(), version: z.string() }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;
