/**
 * Library usage: the generated typed clients over SOAP 1.2 and VAPIX JSON.
 * Run: `npx tsx examples/typed-client.ts http://127.0.0.1:PORT` (for example against
 * `npx pacs-conformance device`).
 */
import { PacsClient } from "pacs-conformance/clients/pacsaxis";
import { AccessControlClient } from "pacs-conformance/clients/tac";
import { createJsonBinding, createSoapBinding, type DeviceFaultError } from "pacs-conformance";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8080";
const soap = createSoapBinding({ baseUrl, user: "root", password: "pass", timeoutMs: 5000 });
const json = createJsonBinding({ baseUrl, user: "root", password: "pass" });

try {
  const tac = new AccessControlClient(soap);
  const { Capabilities } = await tac.getServiceCapabilities({});
  console.log("MaxLimit", Capabilities.MaxLimit);

  // Create a credential (empty token: the device allocates one), then read it back over JSON.
  const pacs = new PacsClient(soap);
  const created = await pacs.setCredential({
    Credential: [{ token: "", Enabled: true, Status: "Enabled", IdData: [{ Name: "Card", Value: "12345678" }], Description: "example" }],
  });
  const Token = created.Token ?? [];
  const { Credential } = await new PacsClient(json).getCredential({ Token });
  console.log(Credential?.[0]?.token, Credential?.[0]?.IdData);

  // Page through every credential, Limit 100 at a time.
  let start: string | undefined;
  do {
    const page = await pacs.getCredentialInfoList(start === undefined ? { Limit: 100 } : { Limit: 100, StartReference: start });
    for (const info of page.CredentialInfo ?? []) console.log(info.token, info.Enabled);
    start = page.NextStartReference;
  } while (start !== undefined);

  await pacs.removeCredential({ Token });

  // Faults are typed, with the subcode chain: check by `code`.
  await tac.getAccessPointState({ Token: "no-such-access-point" }).catch((err: DeviceFaultError) => {
    if (err.code === "DEVICE_FAULT") console.log(err.fault.code, err.fault.subcodes); // env:Sender [ter:InvalidArgVal, ter:NotFound]
  });
} finally {
  await soap.close();
  await json.close();
}
