export type AlertKind =
  | 'DUPLICATE_CANDIDATE'
  | 'RECORD_QUARANTINED'
  | 'CREATION_REJECTED'
  | 'CREATION_FAILED'
  | 'WINDOW_FAILED'
  | 'PATHOLOGICAL_WINDOW'
  | 'ACCOUNT_FAILING'
  | 'COVERAGE_LAG'
  | 'CHANGE_RECORD_UNDECODABLE';

/** Something a person must look at. Details never hold a candidate's email or a secret. */
export interface Alert {
  kind: AlertKind;
  message: string;
  details: Record<string, unknown>;
  at: string;
  /** How many alerts with the same key were held back since this key was last sent. */
  suppressedSinceLast: number;
}
