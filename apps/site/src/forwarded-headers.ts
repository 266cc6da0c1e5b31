/** The request headers the site passes on to the service that decides. */
export interface ForwardedHeaders {
  readonly idempotencyKey?: string | undefined;
  readonly ifMatch?: string | undefined;
  readonly correlationId?: string | undefined;
  /** The caller's access token, passed on as it came. */
  readonly token?: string | undefined;
  /** The W3C trace context of the site's request, so the warehouse's work joins its trace. */
  readonly traceparent?: string | undefined;
}

export const correlationHeader = (
  correlationId: string | undefined,
): Readonly<Record<string, string>> =>
  correlationId === undefined ? {} : { "x-correlation-id": correlationId };

export const forwardedHeaders = (headers: ForwardedHeaders): Readonly<Record<string, string>> => ({
  ...(headers.idempotencyKey === undefined ? {} : { "idempotency-key": headers.idempotencyKey }),
  ...(headers.ifMatch === undefined ? {} : { "if-match": headers.ifMatch }),
  ...correlationHeader(headers.correlationId),
  ...(headers.token === undefined ? {} : { authorization: `Bearer ${headers.token}` }),
  ...(headers.traceparent === undefined ? {} : { traceparent: headers.traceparent }),
});
