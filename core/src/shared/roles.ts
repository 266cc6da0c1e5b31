import * as t from "io-ts";

/** Who a signed-in caller is to the shop (docs/security.md says what each may do). */
export const Role = t.keyof({
  customer: null,
  warehouse: null,
  dispatcher: null,
  courier: null,
  catalog: null,
  admin: null,
});
export type Role = t.TypeOf<typeof Role>;

export const ROLES: ReadonlyArray<Role> = Object.keys(Role.keys) as ReadonlyArray<Role>;

/** The roles a person can hold: every role but the shop's own `system`. */
export const StaffRole = t.keyof({
  warehouse: null,
  dispatcher: null,
  courier: null,
  catalog: null,
  admin: null,
});
export type StaffRole = t.TypeOf<typeof StaffRole>;

/**
 * No one's account: the role that process managers and sweeps act as, so that an event they cause
 * still names who caused it.
 */
export const SYSTEM_ROLE = "system";
