import { VarlinkClient, type Parameters } from "../../src/runtime/index.js";
import { sameJson, test05Reply, test06Reply, test07Reply, test08Reply, test09Reply, test10Replies } from "./expected.js";

const m = (method: string): string => `org.varlink.certification.${method}`;

export interface StepResult {
  step: string;
  ok: boolean;
  detail?: string;
}

/** Runs the whole certification as a client; every step is checked against the reference values. */
export async function runCertificationClient(address: string): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const check = (step: string, got: unknown, wants: unknown): void => {
    const ok = sameJson(got, wants);
    results.push(ok ? { step, ok } : { step, ok, detail: `got ${JSON.stringify(got)}, wants ${JSON.stringify(wants)}` });
  };
  const client = await VarlinkClient.connect(address);
  try {
    const { client_id } = await client.call<{ client_id: string }>(m("Start"));
    results.push({ step: "Start", ok: typeof client_id === "string" && client_id !== "" });
    const id = { client_id };
    const r1 = await client.call(m("Test01"), id);
    check("Test01", r1, { bool: true });
    const r2 = await client.call(m("Test02"), { ...id, ...r1 });
    check("Test02", r2, { int: 1 });
    const r3 = await client.call(m("Test03"), { ...id, ...r2 });
    check("Test03", r3, { float: 1.0 });
    const r4 = await client.call(m("Test04"), { ...id, ...r3 });
    check("Test04", r4, { string: "ping" });
    const r5 = await client.call(m("Test05"), { ...id, ...r4 });
    check("Test05", r5, test05Reply);
    const r6 = await client.call(m("Test06"), { ...id, ...r5 });
    check("Test06", r6, test06Reply);
    const r7 = await client.call(m("Test07"), { ...id, ...r6 });
    check("Test07", r7, test07Reply);
    const r8 = await client.call(m("Test08"), { ...id, ...r7 });
    check("Test08", r8, test08Reply);
    const r9 = await client.call<Parameters>(m("Test09"), { ...id, ...r8 });
    check("Test09", r9, test09Reply);
    const replies: string[] = [];
    for await (const reply of client.more<{ string: string }>(m("Test10"), { ...id, ...r9 })) replies.push(reply.string);
    check("Test10", replies, test10Replies);
    await client.oneway(m("Test11"), { ...id, last_more_replies: replies });
    results.push({ step: "Test11", ok: true });
    const end = await client.call(m("End"), id);
    check("End", end, { all_ok: true });
  } catch (error) {
    results.push({ step: `after ${results.at(-1)?.step ?? "connecting"}`, ok: false, detail: String(error) });
  } finally {
    await client.close();
  }
  return results;
}
