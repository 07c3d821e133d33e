/** One dependency the app needs to answer (storage, Cosmos, ...). `check` rejects when it does not. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<void>;
}
