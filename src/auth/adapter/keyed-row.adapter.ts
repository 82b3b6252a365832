import type { Adapter, AdapterPayload } from 'oidc-provider';

import { unsupportedOperation } from './unsupported-operation.ts';

/**
 * Base for adapters of models that are only ever stored, found and destroyed by id (clients,
 * replay detection): the lookups and lifecycles oidc-provider uses for tokens and sessions fail
 * loudly instead of answering "not found" for what would be a wiring mistake.
 */
export abstract class KeyedRowAdapter implements Adapter {
  readonly #model: string;

  constructor(model: string) {
    this.#model = model;
  }

  abstract upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
  abstract find(id: string): Promise<AdapterPayload | undefined>;
  abstract destroy(id: string): Promise<void>;

  async findByUid(): Promise<never> {
    unsupportedOperation(this.#model, 'findByUid');
  }

  async findByUserCode(): Promise<never> {
    unsupportedOperation(this.#model, 'findByUserCode');
  }

  async consume(): Promise<never> {
    unsupportedOperation(this.#model, 'consume');
  }

  async revokeByGrantId(): Promise<never> {
    unsupportedOperation(this.#model, 'revokeByGrantId');
  }
}
