import type { CourierId, CustomerId, Role } from "@mebel/core";
import type { Registry } from "prom-client";
import type { Guard } from "./auth/guarded-routes.js";
import { newSigningKey, type SigningKey } from "./auth/signing-key.js";
import { createTokenSigner } from "./auth/token-signer.js";
import { createTokenVerifier } from "./auth/token-verifier.js";

/** Test support: an issuer of real tokens, and the guard that accepts them. Not a test itself. */
export const TEST_ISSUER = "urn:mebel:test-issuer";
export const TEST_AUDIENCE = "urn:mebel:api";

export interface TestIssuer {
  readonly key: SigningKey;
  readonly guard: Guard;
  readonly token: (sub: string, roles: ReadonlyArray<Role>, courierId?: string) => Promise<string>;
  /** `Authorization` for the given caller. */
  readonly bearer: (
    sub: string,
    roles: ReadonlyArray<Role>,
    courierId?: string,
  ) => Promise<Record<string, string>>;
}

let shared: Promise<TestIssuer> | undefined;

export const createTestIssuer = async (): Promise<TestIssuer> => {
  const key = await newSigningKey();
  const sign = createTokenSigner({
    privateKey: key.privateKey,
    kid: key.kid,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    ttlSeconds: 300,
  });
  const token = (sub: string, roles: ReadonlyArray<Role>, courierId?: string) =>
    sign({
      sub: sub as CustomerId,
      roles,
      ...(courierId === undefined ? {} : { courierId: courierId as CourierId }),
    });
  return {
    key,
    guard: {
      verify: createTokenVerifier({
        keys: { kind: "local", jwks: key.jwks },
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        algorithms: ["ES256"],
        rolesClaim: "roles",
      }),
    },
    token,
    bearer: async (sub, roles, courierId) => ({
      authorization: `Bearer ${await token(sub, roles, courierId)}`,
    }),
  };
};

/** One issuer for a whole test file: keys are slow enough to make once. */
export const testIssuer = (): Promise<TestIssuer> => {
  shared ??= createTestIssuer();
  return shared;
};

/** The value of one sample of a metric, 0 while it has none: how tests watch counters move. */
export const sampleOf = async (
  registry: Registry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> => {
  const metric = registry.getSingleMetric(name.replace(/_(count|sum|bucket)$/, ""));
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  return values
    .filter(
      (v) =>
        (v as { metricName?: string }).metricName === undefined ||
        (v as { metricName?: string }).metricName === name,
    )
    .filter((v) =>
      wanted.every(([k, value]) => String((v.labels as Record<string, unknown>)[k]) === value),
    )
    .reduce((sum, v) => sum + v.value, 0);
};

/**
 * The position a command's answer says it appended at: its `Mebel-Position`, which must be one
 * (the response check holds the body's `position` to it). Throws when the answer has none.
 */
export const appendedAt = (answer: { readonly headers: Headers }): string => {
  const position = answer.headers.get("mebel-position");
  if (position === null || !/^(0|[1-9][0-9]*)$/.test(position)) {
    throw new Error(`the answer says no position it appended at: ${String(position)}`);
  }
  return position;
};
