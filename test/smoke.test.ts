import { describe, expect, it } from "@jest/globals";
describe("smoke", () => { it("runs", async () => { const m = await import("undici"); expect(typeof m.request).toBe("function"); }); });
