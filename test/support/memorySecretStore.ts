// A SecretStore held in memory, for tests and tools that must not touch the real SecretStorage.
import type { SecretStore } from '../../src/core/ports';

export class MemorySecretStore implements SecretStore {
  private readonly values: Map<string, string>;
  /** Every key asked for, in order: lets a test prove where a key was read from. */
  readonly reads: string[] = [];

  constructor(initial: Record<string, string> = {}) {
    this.values = new Map(Object.entries(initial));
  }

  async get(key: string): Promise<string | undefined> {
    this.reads.push(key);
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
