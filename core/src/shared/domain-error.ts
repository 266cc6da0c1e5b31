/**
 * A rejection decided by the domain: a value, never thrown. `code` is stable and is what callers
 * (and the HTTP edge) switch on; `message` is for people.
 */
export interface DomainError<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = <Code extends string>(
  code: Code,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): DomainError<Code> => (details === undefined ? { code, message } : { code, message, details });
