/**
 * generated/ is committed: it must be exactly what `npm run generate` produces from wsdl/ now.
 * This fails when someone edits wsdl/ (or the compiler) without regenerating.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareOutput, generate, projectOptions, PROJECT_ROOT } from "../../src/codegen/generate.js";

const hasWsdl = existsSync(join(PROJECT_ROOT, "wsdl", "READY"));
if (!hasWsdl) process.stdout.write("codegen fresh test skipped: wsdl/READY is absent (our WSDL is not complete yet)\n");

(hasWsdl ? describe : describe.skip)("generated/ is fresh", () => {
  it("equals what the compiler produces from wsdl/ (run `npm run generate` if this fails)", async () => {
    const options = projectOptions(PROJECT_ROOT);
    const files = await generate(options);
    const outDir = join(PROJECT_ROOT, "generated");
    const drift = compareOutput(outDir, files);
    // Show the first stale file's content difference, not just its name.
    for (const rel of drift.stale.slice(0, 1)) expect(`${rel}:\n${readFileSync(join(outDir, rel), "utf8")}`).toBe(`${rel}:\n${files.get(rel)}`);
    expect(drift).toEqual({ stale: [], missing: [], extra: [] });
  });

  it("has a client for every namespace with a JSON path and the documented client classes", async () => {
    const files = await generate(projectOptions(PROJECT_ROOT));
    expect(files.get("tac/client.ts")).toContain("export class AccessControlClient {");
    expect(files.get("pacsaxis/client.ts")).toContain("export class PacsClient {");
    expect(files.get("tac/descriptors.ts")).toContain('jsonPath: "/vapix/pacs"');
    expect(files.get("pt/types.ts")).toContain("export interface DataEntity {");
    expect(files.get("axlog/client.ts")).toContain("export class EventLoggerClient {");
    expect(files.get("axloc/descriptors.ts")).toContain('jsonPath: "/vapix/eventlogger"');
    expect(files.get("tev/client.ts")).toContain("export class PullPointSubscriptionClient {");
    expect(files.get("tev/descriptors.ts")).not.toContain("jsonPath");
    // Issue 8: the network, keystore, third-party credential and peripheral services, and the ONVIF device subset.
    for (const [prefix, client, jsonPath] of [
      ["aconn", "ConnectionClient", "/vapix/aconn"],
      ["axkey", "KeyStoreClient", "/vapix/axkey"],
      ["axtpc", "ThirdPartyCredentialClient", "/vapix/axtpc"],
      ["axissd", "ServiceDiscoveryClient", "/vapix/axissd"],
      ["axrio", "RemoteIoClient", "/vapix/axrio"],
    ] as const) {
      expect(files.get(`${prefix}/client.ts`)).toContain(`export class ${client} {`);
      expect(files.get(`${prefix}/descriptors.ts`)).toContain(`jsonPath: "${jsonPath}"`);
    }
    expect(files.get("tds/client.ts")).toContain("export class DeviceClient {");
    expect(files.get("tds/descriptors.ts")).not.toContain("jsonPath");
    // A ThirdPartyCredential's Credential is the pacsaxis type (children in the pacsaxis namespace).
    expect(files.get("axtpc/types.ts")).toContain("Credential: pacsaxis.Credential;");
    // tt:Message travels only inside wsnt:Message's xs:any; projectOptions' allElements still emits it.
    expect(files.get("tt/descriptors.ts")).toContain("export const MessageType: TypeDescriptor = {");
  });
});
