export interface Ids {
  /** A fresh, globally unique id (a UUID where the store needs one). */
  readonly next: () => string;
}
