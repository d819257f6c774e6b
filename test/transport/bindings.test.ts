import { afterEach, describe, expect, it } from "@jest/globals";
import type { Exchange, HttpRequest, HttpResponse, HttpTransport } from "../../src/runtime/binding.js";
import type { DeviceFaultError, MalformedResponseError, TimeoutError } from "../../src/runtime/errors.js";
import { buildJsonFault, buildSoapFault } from "../../src/runtime/soap.js";
import { parseXml } from "../../src/runtime/xml.js";
import { createHttpTransport, createJsonBinding, createSoapBinding } from "../../src/transport/index.js";
import { GetAccessPointListOp, PACS, SetCredentialOp } from "../runtime/descriptors.fixture.js";
import { send, soapResponse, startServer, type TestServer } from "./server.fixture.js";

let server: TestServer | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await server?.close();
  server = undefined;
});

function track<T extends { close(): Promise<void> }>(b: T): T {
  closers.push(() => b.close());
  return b;
}

async function failure(p: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code: string };
  }
  throw new Error("expected the call to fail");
}

describe("SOAP 1.2 binding", () => {
  it("posts the envelope with the action and decodes the response by namespace", async () => {
    server = await startServer((_req, res) =>
      send(res, 200, "application/soap+xml; charset=utf-8", soapResponse(`<r:GetAccessPointListResponse xmlns:r="${PACS}"><r:AccessPoint token="a"><r:Entity>d</r:Entity></r:AccessPoint></r:GetAccessPointListResponse>`)),
    );
    const b = track(createSoapBinding({ baseUrl: server.url }));
    expect(b.protocol).toBe("soap");
    await expect(b.call(GetAccessPointListOp, { Limit: 3 })).resolves.toEqual({ AccessPoint: [{ token: "a", Entity: "d" }] });
    const req = server.requests[0];
    expect([req.method, req.url]).toEqual(["POST", "/vapix/services"]);
    expect(req.headers["content-type"]).toBe(`application/soap+xml; charset=utf-8; action="http://www.axis.com/vapix/ws/pacs/GetAccessPointList"`);
    expect(req.body).toContain(`<pacsaxis:GetAccessPointList xmlns:pacsaxis="${PACS}"><pacsaxis:Limit>3</pacsaxis:Limit></pacsaxis:GetAccessPointList>`);
  });

  it("sends a WS-Addressing call to the endpoint's path with Action/To marked mustUnderstand and the reference parameters", async () => {
    server = await startServer((_req, res) => send(res, 200, "application/soap+xml; charset=utf-8", soapResponse(`<r:GetAccessPointListResponse xmlns:r="${PACS}"/>`)));
    const b = track(createSoapBinding({ baseUrl: server.url }));
    const ref = { ns: "http://www.axis.com/2009/event", local: "SubscriptionId", prefix: "ev", attrs: [], children: [], text: "7" };
    // The device may name another host (NAT): only the address's path and query are used.
    await b.call(GetAccessPointListOp, {}, { wsAddressing: { to: "http://192.0.2.1/vapix/services/pullpoint/7?x=1", referenceParameters: [ref] } });
    const req = server.requests[0];
    expect(req.url).toBe("/vapix/services/pullpoint/7?x=1");
    const env = parseXml(req.body);
    const header = env.children.find((c) => c.local === "Header")!;
    const byName = new Map(header.children.map((c) => [c.local, c]));
    const mu = (local: string): string | undefined => byName.get(local)?.attrs.find((a) => a.local === "mustUnderstand")?.value;
    expect(byName.get("Action")).toMatchObject({ ns: "http://www.w3.org/2005/08/addressing", text: GetAccessPointListOp.soapAction });
    expect(byName.get("To")).toMatchObject({ ns: "http://www.w3.org/2005/08/addressing", text: "http://192.0.2.1/vapix/services/pullpoint/7?x=1" });
    expect([mu("Action"), mu("To")]).toEqual(["1", "1"]);
    expect(byName.get("MessageID")?.text).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(byName.get("SubscriptionId")).toMatchObject({ ns: ref.ns, text: "7", attrs: [{ ns: "http://www.w3.org/2005/08/addressing", local: "IsReferenceParameter", value: "true" }] });
    // Without `to`, the binding's own SOAP endpoint is the destination; extra declarations land on the Envelope.
    await b.call(GetAccessPointListOp, {}, { wsAddressing: {}, namespaces: { tns1: "http://www.onvif.org/ver10/topics" } });
    expect(parseXml(server.requests[1]!.body).nsDecls).toMatchObject({ tns1: "http://www.onvif.org/ver10/topics", wsa: "http://www.w3.org/2005/08/addressing" });
    expect(server.requests[1]!.url).toBe("/vapix/services");
    expect(parseXml(server.requests[1]!.body).children[0]!.children.find((c) => c.local === "To")?.text).toBe(`${server.url}/vapix/services`);
  });

  it("honours soapPath", async () => {
    server = await startServer((_req, res) => send(res, 200, "application/soap+xml", soapResponse(`<GetAccessPointListResponse xmlns="${PACS}"/>`)));
    await track(createSoapBinding({ baseUrl: server.url, soapPath: "/onvif/services" })).call(GetAccessPointListOp, {});
    expect(server.requests[0].url).toBe("/onvif/services");
  });

  it("a fault becomes DeviceFaultError with subcodes and the HTTP status", async () => {
    server = await startServer((_req, res) =>
      send(res, 400, "application/soap+xml", buildSoapFault({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidStartReference"], reason: "Bad reference" })),
    );
    const err = (await failure(track(createSoapBinding({ baseUrl: server.url })).call(GetAccessPointListOp, { StartReference: "x" }))) as DeviceFaultError;
    expect(err.code).toBe("DEVICE_FAULT");
    expect(err.fault).toEqual({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:InvalidStartReference"], reason: "Bad reference", protocol: "soap", httpStatus: 400 });
    expect(err.message).toContain("env:Sender/ter:InvalidArgVal/ter:InvalidStartReference");
  });

  it("malformed XML, a DTD and a wrong body element → MalformedResponseError", async () => {
    const bodies = [
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"><SOAP-ENV:Body>`,
      `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`,
      soapResponse(`<r:Wrong xmlns:r="${PACS}"/>`),
    ];
    let i = 0;
    server = await startServer((_req, res) => send(res, 200, "application/soap+xml", bodies[i++]));
    const b = track(createSoapBinding({ baseUrl: server.url }));
    const errs = [] as MalformedResponseError[];
    for (let k = 0; k < bodies.length; k++) errs.push((await failure(b.call(GetAccessPointListOp, {}))) as MalformedResponseError);
    expect(errs.map((e) => e.code)).toEqual(["MALFORMED_RESPONSE", "MALFORMED_RESPONSE", "MALFORMED_RESPONSE"]);
    expect((errs[1].cause as { code: string }).code).toBe("XML_DTD_FORBIDDEN");
    expect(errs[1].message).toContain("DTD");
    expect(errs[2].message).toContain("GetAccessPointListResponse");
    expect(errs[2].bodyExcerpt).toContain("r:Wrong");
  });

  it("a non-2xx without an envelope → HttpStatusError", async () => {
    server = await startServer((_req, res) => send(res, 503, "text/html", "<html><body>maintenance</body>"));
    const err = await failure(track(createSoapBinding({ baseUrl: server.url })).call(GetAccessPointListOp, {}));
    expect(err.code).toBe("HTTP_STATUS");
    expect(err.message).toContain("503");
  });

  it("an encode error is raised before any I/O", async () => {
    server = await startServer((_req, res) => send(res, 200, "application/soap+xml", ""));
    const err = await failure(track(createSoapBinding({ baseUrl: server.url })).call(SetCredentialOp, { Credential: [{}] }));
    expect(err.code).toBe("ENCODE_FAILED");
    expect(server.requests).toHaveLength(0);
  });

  it("accepts an injected HttpTransport", async () => {
    const seen: HttpRequest[] = [];
    const http: HttpTransport = {
      async send(req): Promise<HttpResponse> {
        seen.push(req);
        return { status: 200, headers: {}, body: soapResponse(`<GetAccessPointListResponse xmlns="${PACS}"><NextStartReference>z</NextStartReference></GetAccessPointListResponse>`) };
      },
    };
    const b = createSoapBinding({ baseUrl: "http://device.invalid", http, timeoutMs: 1234 });
    await expect(b.call(GetAccessPointListOp, {}, { timeoutMs: 99 })).resolves.toEqual({ NextStartReference: "z" });
    expect(seen[0]).toMatchObject({ method: "POST", path: "/vapix/services", timeoutMs: 99 });
    await b.close();
  });
});

describe("VAPIX JSON binding", () => {
  it("posts {prefix:Operation: input} and normalizes the response", async () => {
    server = await startServer((_req, res) => send(res, 200, "application/json", JSON.stringify({ AccessPoint: { token: "a", Entity: "d", Enabled: "true" }, NextStartReference: "2" })));
    const b = track(createJsonBinding({ baseUrl: server.url }));
    expect(b.protocol).toBe("json");
    await expect(b.call(GetAccessPointListOp, { Limit: 5 })).resolves.toEqual({ NextStartReference: "2", AccessPoint: [{ token: "a", Entity: "d", Enabled: true }] });
    const req = server.requests[0];
    expect([req.url, req.headers["content-type"]]).toEqual(["/vapix/pacs", "application/json"]);
    expect(JSON.parse(req.body)).toEqual({ "pacsaxis:GetAccessPointList": { Limit: 5 } });
  });

  it("a JSON fault becomes DeviceFaultError", async () => {
    server = await startServer((_req, res) =>
      send(res, 400, "application/json", JSON.stringify(buildJsonFault({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: "Not found", detail: "token x" }))),
    );
    const err = (await failure(track(createJsonBinding({ baseUrl: server.url })).call(GetAccessPointListOp, {}))) as DeviceFaultError;
    expect(err.fault).toEqual({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:NotFound"], reason: "Not found", detail: "token x", protocol: "json", httpStatus: 400 });
  });

  it("invalid JSON or a wrong shape → MalformedResponseError", async () => {
    const bodies = [`{"AccessPoint": [`, `[1,2]`, JSON.stringify({ AccessPoint: [{ token: "a", Entity: { x: 1 } }] })];
    let i = 0;
    server = await startServer((_req, res) => send(res, 200, "application/json", bodies[i++]));
    const b = track(createJsonBinding({ baseUrl: server.url }));
    const errs = [];
    for (let k = 0; k < bodies.length; k++) errs.push(await failure(b.call(GetAccessPointListOp, {})));
    expect(errs.map((e) => e.code)).toEqual(["MALFORMED_RESPONSE", "MALFORMED_RESPONSE", "MALFORMED_RESPONSE"]);
    expect(errs[0].message).toContain("invalid JSON");
    expect(errs[2].message).toContain("GetAccessPointListResponse.AccessPoint[0].Entity");
  });

  it("refuses operations without a jsonPath", async () => {
    const { jsonPath: _omit, ...soapOnly } = GetAccessPointListOp;
    const b = createJsonBinding({ baseUrl: "http://127.0.0.1:9" });
    await expect(b.call(soapOnly, {})).rejects.toMatchObject({ code: "ENCODE_FAILED" });
    await b.close();
  });
});

describe("HTTP transport", () => {
  it("response too large → ResponseTooLargeError (declared and streamed)", async () => {
    server = await startServer((req, res) => {
      if (req.url === "/declared") {
        send(res, 200, "text/plain", "x".repeat(5000));
      } else if (req.url === "/small") {
        send(res, 200, "text/plain", "small");
      } else {
        res.writeHead(200, { "content-type": "text/plain" });
        for (let k = 0; k < 10; k++) res.write("y".repeat(1000));
        res.end();
      }
    });
    const http = track(createHttpTransport({ baseUrl: server.url, maxResponseBytes: 1000 }));
    for (const path of ["/declared", "/chunked"]) {
      const err = await failure(http.send({ method: "POST", path, headers: {}, body: "" }));
      expect(err.code).toBe("RESPONSE_TOO_LARGE");
      expect(err.message).toContain("1000-byte limit");
    }
    // The same transport keeps working after aborted bodies.
    await expect(http.send({ method: "POST", path: "/small", headers: {}, body: "" })).resolves.toMatchObject({ status: 200, body: "small" });
    const ok = track(createHttpTransport({ baseUrl: server.url }));
    await expect(ok.send({ method: "GET", path: "/declared", headers: {}, body: "" })).resolves.toMatchObject({ status: 200 });
  });

  it("a silent server → TimeoutError (headers and body phases)", async () => {
    server = await startServer((req, res) => {
      if (req.url === "/body") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("partial");
      } else if (req.url === "/ok") {
        send(res, 200, "text/plain", "ok");
      }
      // otherwise: never answer
    });
    const http = track(createHttpTransport({ baseUrl: server.url, timeoutMs: 150 }));
    const headersErr = (await failure(http.send({ method: "POST", path: "/silent", headers: {}, body: "" }))) as TimeoutError;
    expect(headersErr.code).toBe("TIMEOUT");
    expect(headersErr.phase).toBe("total");
    const bodyErr = (await failure(http.send({ method: "POST", path: "/body", headers: {}, body: "" }))) as TimeoutError;
    expect(bodyErr.code).toBe("TIMEOUT");
    // Timed-out requests are retired: the transport still answers the next call.
    await expect(http.send({ method: "POST", path: "/ok", headers: {}, body: "" })).resolves.toMatchObject({ status: 200, body: "ok" });
    const perCall = (await failure(track(createSoapBinding({ baseUrl: server.url, timeoutMs: 60000 })).call(GetAccessPointListOp, {}, { timeoutMs: 100 }))) as TimeoutError;
    expect([perCall.code, perCall.ms]).toEqual(["TIMEOUT", 100]);
  });

  it("connection refused → ConnectionError", async () => {
    const tmp = await startServer(() => undefined);
    const url = tmp.url;
    await tmp.close();
    const seen: Exchange[] = [];
    const err = await failure(track(createSoapBinding({ baseUrl: url, onExchange: (e) => seen.push(e) })).call(GetAccessPointListOp, {}));
    expect(err.code).toBe("CONNECTION_FAILED");
    expect(err.message).toContain("ECONNREFUSED");
    expect(seen).toHaveLength(1);
    expect(seen[0].error).toBe(err);
    expect(seen[0].response).toBeUndefined();
  });

  it("the caller's AbortSignal → AbortedError (before and during the call)", async () => {
    server = await startServer(() => undefined);
    const b = track(createSoapBinding({ baseUrl: server.url }));
    const ac = new AbortController();
    const pending = b.call(GetAccessPointListOp, {}, { signal: ac.signal });
    const wait = setInterval(() => {
      if (server !== undefined && server.requests.length > 0) {
        clearInterval(wait);
        ac.abort();
      }
    }, 5);
    const err = await failure(pending);
    expect(err.code).toBe("ABORTED");
    const again = await failure(b.call(GetAccessPointListOp, {}, { signal: AbortSignal.abort() }));
    expect(again.code).toBe("ABORTED");
  });

  it("refuses bad base URLs with a clear message", () => {
    expect(() => createHttpTransport({ baseUrl: "ftp://device" })).toThrow(/unsupported scheme ftp:/);
    expect(() => createHttpTransport({ baseUrl: "http://device/vapix" })).toThrow(/path .* is not allowed/);
    expect(() => createHttpTransport({ baseUrl: "not a url" })).toThrow(/not a valid URL/);
  });
});
