export interface Clock {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}
