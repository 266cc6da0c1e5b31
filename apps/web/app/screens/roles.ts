import type { Role } from "@mebel/core";

/** A screen of the app, and who sees it. Admins see every screen. */
export interface Screen {
  readonly path: string;
  readonly label: string;
  readonly roles: ReadonlyArray<Role>;
}

export const STAFF_SCREENS: ReadonlyArray<Screen> = [
  { path: "/cart", label: "Cart", roles: ["customer"] },
  { path: "/orders", label: "My orders", roles: ["customer"] },
  { path: "/notifications", label: "Notifications", roles: ["customer"] },
  { path: "/mail", label: "E-mail", roles: ["customer"] },
  { path: "/warehouse", label: "Work queue", roles: ["warehouse"] },
  { path: "/stock", label: "Stock", roles: ["warehouse"] },
  { path: "/board", label: "Delivery board", roles: ["dispatcher"] },
  { path: "/my-deliveries", label: "My deliveries", roles: ["courier"] },
  { path: "/catalog", label: "Catalog", roles: ["catalog"] },
  { path: "/accounts", label: "Accounts", roles: ["admin"] },
  { path: "/operations", label: "Operations", roles: ["admin"] },
  { path: "/failed-mail", label: "Failed mail", roles: ["admin"] },
];

export const canSee = (roles: ReadonlyArray<Role>, screen: Screen): boolean =>
  screen.roles.some((r) => roles.includes(r)) ||
  (roles.includes("admin") && !screen.roles.includes("customer"));

export const screensOf = (roles: ReadonlyArray<Role>): ReadonlyArray<Screen> =>
  STAFF_SCREENS.filter((s) => canSee(roles, s));

/** Where a person lands after signing in: the first screen of their work. */
export const homeOf = (roles: ReadonlyArray<Role>): string => {
  if (roles.includes("customer")) return "/";
  return screensOf(roles)[0]?.path ?? "/";
};
