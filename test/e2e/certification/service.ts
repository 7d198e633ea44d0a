import { randomUUID } from "node:crypto";
import { implementInterface, type CallContext, type JsonObject, type ServiceInterface } from "@varlink-ts/runtime";
import {
  Certification,
  CertificationError,
  ClientIdError,
  type CertificationHandlers,
} from "../../generated/org.varlink.certification.js";
import {
  sameJson,
  test05Reply,
  test06Reply,
  test07Reply,
  test08Reply,
  test09Reply,
  test10Replies,
} from "./expected.js";

// org.varlink.certification on the generated server stub: every call was validated against its
// type before a handler sees it; the handlers check the values and the order of the steps.

/** The steps in order; a client passes when it makes every one of them right, in this order. */
const steps = [
  "Start",
  "Test01",
  "Test02",
  "Test03",
  "Test04",
  "Test05",
  "Test06",
  "Test07",
  "Test08",
  "Test09",
  "Test10",
  "Test11",
  "End",
];

interface Session {
  next: number;
  failed: boolean;
}

export function certificationService(): {
  implementation: ServiceInterface;
  finished: Array<{ id: string; allOk: boolean }>;
} {
  const sessions = new Map<string, Session>();
  const finished: Array<{ id: string; allOk: boolean }> = [];

  /** Checks the client and the step order; `wants` and `got` must agree for the step to pass. */
  const step = (method: string, clientId: string, wants: object, got: object): Session => {
    const session = sessions.get(clientId);
    if (session === undefined) throw new ClientIdError({});
    const inOrder = steps[session.next] === method;
    session.next++;
    if (!inOrder || !sameJson(wants, got)) {
      session.failed = true;
      throw new CertificationError({ wants: wants as JsonObject, got: got as JsonObject });
    }
    return session;
  };

  const handlers: CertificationHandlers = {
    Start: () => {
      const id = randomUUID();
      sessions.set(id, { next: 1, failed: false });
      return { client_id: id };
    },
    Test01: (p) => {
      step("Test01", p.client_id, {}, {});
      return { bool: true };
    },
    Test02: (p) => {
      step("Test02", p.client_id, { bool: true }, { bool: p.bool });
      return { int: 1 };
    },
    Test03: (p) => {
      step("Test03", p.client_id, { int: 1 }, { int: p.int });
      return { float: 1.0 };
    },
    Test04: (p) => {
      step("Test04", p.client_id, { float: 1.0 }, { float: p.float });
      return { string: "ping" };
    },
    Test05: (p) => {
      step("Test05", p.client_id, { string: "ping" }, { string: p.string });
      return test05Reply;
    },
    Test06: ({ client_id, ...got }) => {
      step("Test06", client_id, test05Reply, got);
      return test06Reply;
    },
    Test07: ({ client_id, ...got }) => {
      step("Test07", client_id, test06Reply, got);
      return test07Reply;
    },
    Test08: ({ client_id, ...got }) => {
      step("Test08", client_id, test07Reply, got);
      return test08Reply;
    },
    Test09: ({ client_id, ...got }) => {
      step("Test09", client_id, test08Reply, got);
      return test09Reply;
    },
    Test10: async function* ({ client_id, ...got }, context: CallContext) {
      step("Test10", client_id, { ...test09Reply, more: true }, { ...got, more: context.more });
      for (const reply of test10Replies) yield { string: reply };
    },
    Test11: ({ client_id, ...got }, context: CallContext) => {
      step("Test11", client_id, { last_more_replies: test10Replies, oneway: true }, { ...got, oneway: context.oneway });
      return {};
    },
    End: (p) => {
      const session = step("End", p.client_id, {}, {});
      sessions.delete(p.client_id);
      const allOk = !session.failed && session.next === steps.length;
      finished.push({ id: p.client_id, allOk });
      return { all_ok: allOk };
    },
  };
  return { implementation: implementInterface(Certification, handlers), finished };
}
