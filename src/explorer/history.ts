import { parseJson } from "@varlink-ts/runtime";
import { clear, el } from "./dom.js";
import { callHash } from "./share.js";

// The calls made in this session (this tab: sessionStorage), newest first: each one can be
// opened again, with its parameters and what came back, and run again.

export interface PastCall {
  service: string;
  method: string;
  /** The parameters' JSON text, as sent. */
  parameters: string;
  mode: "call" | "more" | "oneway";
  ok: boolean;
  /** The status line it ended with ("Replied in 12 ms."). */
  summary: string;
  /** What came back, as text: the reply, a stream's replies, or the error. */
  result: string;
  /** Milliseconds the call took. */
  ms: number;
  at: number;
}

const storageKey = "varlink-explorer-history";
/** How many calls are kept. */
const kept = 20;
const changed = "varlink-history";

export function pastCalls(): PastCall[] {
  try {
    const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? "[]") as unknown;
    return Array.isArray(stored) ? (stored as PastCall[]) : [];
  } catch {
    return [];
  }
}

export function remember(call: PastCall): void {
  sessionStorage.setItem(storageKey, JSON.stringify([call, ...pastCalls()].slice(0, kept)));
  window.dispatchEvent(new Event(changed));
}

/** What a click in the history asked for, read once by the view it opens. */
let chosen: { call: PastCall; rerun: boolean } | undefined;

/** The past call to show (and maybe run again) if the method view being opened is the one chosen. */
export function takeChosen(service: string, method: string): { call: PastCall; rerun: boolean } | undefined {
  const taken = chosen;
  chosen = undefined;
  return taken !== undefined && taken.call.service === service && taken.call.method === method ? taken : undefined;
}

function hashOf(call: PastCall): string {
  // parseJson keeps 64-bit integers exact, as the form does.
  return callHash(call.service, call.method, parseJson(call.parameters) as object);
}

/** Opens the past call's method; `rerun`: and makes the call again. */
function open(call: PastCall, rerun: boolean): void {
  chosen = { call, rerun };
  const hash = hashOf(call);
  // The same address raises no hashchange: tell the page ourselves.
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

function entry(call: PastCall): HTMLElement {
  const shortName = call.method.slice(call.method.lastIndexOf(".") + 1);
  const link = el(
    "a",
    {
      class: "past-link",
      title: `${call.service} ${call.method}: ${call.summary}`,
      attrs: { href: hashOf(call) },
      on: {
        click: (event) => {
          event.preventDefault();
          open(call, false);
        },
      },
    },
    el("span", {
      class: `outcome ${call.ok ? "ok" : "failed"}`,
      attrs: { "aria-label": call.ok ? "succeeded" : "failed" },
    }),
    el("code", { text: shortName }),
    el("span", { class: "past-service", text: call.service }),
    el("span", { class: "past-time", text: duration(call.ms) }),
  );
  return el(
    "li",
    { class: "past-call" },
    link,
    el("button", {
      class: "rerun",
      text: "Run again",
      title: `Run ${call.method} again with the same parameters`,
      attrs: { type: "button" },
      on: { click: () => open(call, true) },
    }),
  );
}

/** The session's calls, kept up to date as calls are made. */
export function historyPanel(): HTMLElement {
  const list = el("ol", { class: "history-list" });
  const summary = el("summary", {});
  const panel = el("details", { class: "history", attrs: { open: "" } }, summary, list);
  const render = (): void => {
    const calls = pastCalls();
    panel.hidden = calls.length === 0;
    summary.textContent = `Recent calls (${calls.length})`;
    clear(list, ...calls.map(entry));
  };
  window.addEventListener(changed, render);
  render();
  return panel;
}

/** "12 ms", "1.2 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
