/**
 * The simulated physical world around the door controller: what a person or a wire does to it
 * (open a door, force it, press REX, present a card or PIN, cut or tamper a sensor). Services
 * register the stimuli they react to and a view of their physical state; the back door
 * (backdoor.ts) exposes both over HTTP, and tests call `apply` directly.
 */
import type { DeviceState } from "./state.js";

/** One stimulus as sent: its kind plus named arguments, e.g. {"Stimulus":"OpenDoor","Door":"…"}. */
export type Stimulus = { readonly Stimulus: string } & Readonly<Record<string, unknown>>;

export interface StimulusKind {
  /** PascalCase name, e.g. "OpenDoor". */
  readonly name: string;
  /** One sentence: what happens in the world. */
  readonly doc: string;
  /** Argument name → what it is ("token of a Door"); optional ones end with "(optional)". */
  readonly args: Readonly<Record<string, string>>;
  /** Applies the stimulus; returns what the caller may want to know (e.g. an access decision). Throws StimulusError for bad arguments. */
  apply(args: Readonly<Record<string, unknown>>, state: DeviceState): Record<string, unknown> | void;
}

/** A stimulus the world cannot apply (unknown kind, missing or bad argument, unknown target). */
export class StimulusError extends Error {
  override readonly name = "StimulusError";
  readonly code = "STIMULUS";
}

export class PhysicalWorld {
  private readonly kinds = new Map<string, StimulusKind>();
  private readonly views = new Map<string, (state: DeviceState) => unknown>();

  register(kind: StimulusKind): void {
    if (this.kinds.has(kind.name)) throw new Error(`device: stimulus "${kind.name}" is registered twice`);
    this.kinds.set(kind.name, kind);
  }

  /** A named part of the world's state, shown by the back door (e.g. "Doors"). */
  registerView(name: string, view: (state: DeviceState) => unknown): void {
    this.views.set(name, view);
  }

  stimuli(): readonly StimulusKind[] {
    return [...this.kinds.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  apply(stimulus: unknown, state: DeviceState): Record<string, unknown> {
    if (typeof stimulus !== "object" || stimulus === null || Array.isArray(stimulus)) {
      throw new StimulusError('a stimulus is a JSON object such as {"Stimulus": "OpenDoor", "Door": "<door token>"}');
    }
    const { Stimulus: name, ...args } = stimulus as Record<string, unknown>;
    if (typeof name !== "string") throw new StimulusError(`"Stimulus" must name one of: ${this.stimuli().map((k) => k.name).join(", ")}`);
    const kind = this.kinds.get(name);
    if (kind === undefined) throw new StimulusError(`unknown stimulus "${name}"; known: ${this.stimuli().map((k) => k.name).join(", ")}`);
    for (const key of Object.keys(args)) {
      if (!(key in kind.args)) throw new StimulusError(`${name} takes ${describeArgs(kind)}; "${key}" is not one of them`);
    }
    for (const [key, what] of Object.entries(kind.args)) {
      if (!what.endsWith("(optional)") && args[key] === undefined) throw new StimulusError(`${name} needs "${key}" (${what})`);
    }
    return kind.apply(args, state) ?? {};
  }

  describe(state: DeviceState): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, view] of [...this.views].sort(([a], [b]) => (a < b ? -1 : 1))) out[name] = view(state);
    return out;
  }
}

function describeArgs(kind: StimulusKind): string {
  const names = Object.keys(kind.args);
  return names.length === 0 ? "no arguments" : names.map((n) => `"${n}"`).join(", ");
}

/** A required string argument of a stimulus. */
export function stringArg(args: Readonly<Record<string, unknown>>, name: string): string {
  const v = args[name];
  if (typeof v !== "string" || v === "") throw new StimulusError(`"${name}" must be a non-empty string`);
  return v;
}

/** An optional boolean argument (default `fallback`). */
export function boolArg(args: Readonly<Record<string, unknown>>, name: string, fallback: boolean): boolean {
  const v = args[name];
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw new StimulusError(`"${name}" must be true or false`);
  return v;
}
