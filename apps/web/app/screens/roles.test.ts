import type { Role } from "@mebel/core";
import { describe, expect, it } from "vitest";
import { homeOf, screensOf } from "./roles.js";

const paths = (...roles: Role[]) => screensOf(roles).map((s) => s.path);

describe("who sees which screen", () => {
  it("shows each role only its own screens", () => {
    expect(paths("customer")).toEqual(["/cart", "/orders", "/notifications", "/mail"]);
    expect(paths("warehouse")).toEqual(["/warehouse", "/stock"]);
    expect(paths("dispatcher")).toEqual(["/board"]);
    expect(paths("courier")).toEqual(["/my-deliveries"]);
    expect(paths("catalog")).toEqual(["/catalog"]);
    expect(
      screensOf(["warehouse", "dispatcher", "courier", "catalog", "customer"]).map((s) => s.path),
    ).not.toContain("/accounts");
  });

  it("shows an admin every staff screen, but no customer's cart", () => {
    const admin = paths("admin");
    expect(admin).toContain("/operations");
    expect(admin).toContain("/failed-mail");
    expect(admin).toContain("/accounts");
    expect(admin).toContain("/board");
    expect(admin).not.toContain("/cart");
  });

  it("lands people on their work", () => {
    expect(homeOf(["customer"])).toBe("/");
    expect(homeOf(["dispatcher"])).toBe("/board");
    expect(homeOf(["warehouse", "courier"])).toBe("/warehouse");
  });
});
