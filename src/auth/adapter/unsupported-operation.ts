/**
 * Fails an adapter method that oidc-provider never calls for this model (e.g. `findByUid` on
 * `AccessToken`). The `Adapter` interface requires every method on every model; failing loudly
 * beats answering "not found" for a call that would mean a wiring mistake.
 */
export function unsupportedOperation(model: string, operation: string): never {
  throw new TypeError(`${operation} is not supported for the ${model} model`);
}
