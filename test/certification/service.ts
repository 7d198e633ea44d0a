import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { VarlinkError, type CallContext, type Parameters, type ServiceInterface } from "../../src/runtime/index.js";
import { fixturesDir } from "../helpers/paths.js";
import { sameJson, test05Reply, test06Reply, test07Reply, test08Reply, test09Reply, test10Replies } from "./expected.js";

export const certificationDescription = readFileSync(path.join(fixturesDir, "interfaces", "org.varlink.certification.varlink"), "utf8");

const name = "org.varlink.certification";

class CertificationError extends VarlinkError {
  constructor(wants: unknown, got: unknown) {
    super(`${name}.CertificationError`, { wants: wants as Parameters, got: got as Parameters });
  }
}

class ClientIdError extends VarlinkError {
  constructor() {
    super(`${name}.ClientIdError`, {});
  }
}

/** The steps in order; a client passes when it makes every one of them right, in this order. */
const steps = ["Start", "Test01", "Test02", "Test03", "Test04", "Test05", "Test06", "Test07", "Test08", "Test09", "Test10", "Test11", "End"];

interface Session {
  next: number;
  failed: boolean;
}

/** The certification service: checks each call's input and answers with the next step's input. */
export function certificationService(): { implementation: ServiceInterface; finished: Array<{ id: string; allOk: boolean }> } {
  const sessions = new Map<string, Session>();
  const finished: Array<{ id: string; allOk: boolean }> = [];

  /** Checks the client and the step order; `wants` and `got` must agree for the step to pass. */
  const step = (method: string, parameters: Parameters, wants: Parameters, got: Parameters): Session => {
    const session = sessions.get(parameters["client_id"] as string);
    if (session === undefined) throw new ClientIdError();
    const inOrder = steps[session.next] === method;
    session.next++;
    if (!inOrder || !sameJson(wants, got)) {
      session.failed = true;
      throw new CertificationError(wants, got);
    }
    return session;
  };
  const input = (p: Parameters, ...keys: string[]): Parameters => Object.fromEntries(keys.map((k) => [k, p[k]]));

  const implementation: ServiceInterface = {
    name,
    description: certificationDescription,
    methods: {
      Start: () => {
        const id = randomUUID();
        sessions.set(id, { next: 1, failed: false });
        return { client_id: id };
      },
      Test01: (p: Parameters) => (step("Test01", p, {}, {}), { bool: true }),
      Test02: (p: Parameters) => (step("Test02", p, { bool: true }, input(p, "bool")), { int: 1 }),
      Test03: (p: Parameters) => (step("Test03", p, { int: 1 }, input(p, "int")), { float: 1.0 }),
      Test04: (p: Parameters) => (step("Test04", p, { float: 1.0 }, input(p, "float")), { string: "ping" }),
      Test05: (p: Parameters) => (step("Test05", p, { string: "ping" }, input(p, "string")), test05Reply),
      Test06: (p: Parameters) => (step("Test06", p, test05Reply, input(p, "bool", "int", "float", "string")), test06Reply),
      Test07: (p: Parameters) => (step("Test07", p, test06Reply, input(p, "struct")), test07Reply),
      Test08: (p: Parameters) => (step("Test08", p, test07Reply, input(p, "map")), test08Reply),
      Test09: (p: Parameters) => (step("Test09", p, test08Reply, input(p, "set")), test09Reply),
      Test10: {
        handler: async function* (p: Parameters, context: CallContext) {
          step("Test10", p, { ...test09Reply, more: true }, { ...input(p, "mytype"), more: context.more });
          for (const reply of test10Replies) yield { string: reply };
        },
      },
      Test11: (p: Parameters, context: CallContext) => {
        step("Test11", p, { last_more_replies: test10Replies, oneway: true }, { ...input(p, "last_more_replies"), oneway: context.oneway });
        return {};
      },
      End: (p: Parameters) => {
        const session = step("End", p, {}, {});
        const id = p["client_id"] as string;
        sessions.delete(id);
        const allOk = !session.failed && session.next === steps.length;
        finished.push({ id, allOk });
        return { all_ok: allOk };
      },
    },
  };
  return { implementation, finished };
}
