export type TrialKind = 'seed' | 'serial' | 'generate';
export type BenchStoreKind = 'pglite' | 'postgresql';

export interface TrialRequest {
  kind: TrialKind;
  store: BenchStoreKind;
  customers: number;
  /** A fresh schema's connection string, on PostgreSQL. */
  databaseUrl?: string;
}

export interface TrialResult {
  ms: number;
  /** Transactions the trial generated or wrote: the same for every kind, or they did not make the same bank. */
  transactions: number;
  /** Peak RSS with the store open and migrated, before the clock started. */
  readyRssMb: number;
  maxRssMb: number;
}
