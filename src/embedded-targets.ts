/**
 * What `pacs-conformance run` starts when it is given no --device: the reference device, or an
 * embedded site (--site N). Here, at the composition root, so the conformance suite never imports
 * the device: it reaches every device, embedded or not, over the wire.
 */
import type { EmbeddedTargets } from "../conformance/cli.js";

export const embeddedTargets: EmbeddedTargets = {
  async device(user, password) {
    const { startDevice } = await import("./device/server.js");
    const device = await startDevice({ host: "127.0.0.1", port: 0, user, password, clock: "virtual", backdoor: true });
    return { url: device.url, peers: [], close: () => device.close() };
  },
  async site(n, user, password) {
    const { startSite } = await import("./device/site.js");
    const site = await startSite({ controllers: n, host: "127.0.0.1", user, password, clock: "virtual", backdoor: true, peerHeartbeatMs: 250 });
    const [first, ...rest] = site.controllers;
    return { url: first!.url, peers: rest.map((d) => `${d.url}/`), close: () => site.close() };
  },
};
