export function listFiles(root: string): string[];
export function readTree(root: string): Promise<{ ms: number; files: number; bytes: number }>;
