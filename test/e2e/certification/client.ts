import { createClient, SocketConnection, type SocketConnectionOptions } from "@varlink-ts/runtime";
import { Certification } from "../../generated/org.varlink.certification.js";
import {
  sameJson,
  test05Reply,
  test06Reply,
  test07Reply,
  test08Reply,
  test09Reply,
  test10Replies,
} from "./expected.js";

export interface StepResult {
  step: string;
  ok: boolean;
  detail?: string;
}

/**
 * Runs the whole certification with the generated client, every reply validated against its
 * type and checked against the reference values.
 */
export async function runCertificationClient(
  address: string,
  options: SocketConnectionOptions = {},
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const check = (step: string, got: unknown, wants: unknown): void => {
    const ok = sameJson(got, wants);
    results.push(
      ok ? { step, ok } : { step, ok, detail: `got ${JSON.stringify(got)}, wants ${JSON.stringify(wants)}` },
    );
  };
  const connection = await SocketConnection.connect(address, options);
  const client = createClient(Certification, connection, { validateReplies: true });
  try {
    const { client_id } = await client.Start();
    results.push({ step: "Start", ok: client_id !== "" });
    const r1 = await client.Test01({ client_id });
    check("Test01", r1, { bool: true });
    const r2 = await client.Test02({ client_id, ...r1 });
    check("Test02", r2, { int: 1 });
    const r3 = await client.Test03({ client_id, ...r2 });
    check("Test03", r3, { float: 1.0 });
    const r4 = await client.Test04({ client_id, ...r3 });
    check("Test04", r4, { string: "ping" });
    const r5 = await client.Test05({ client_id, ...r4 });
    check("Test05", r5, test05Reply);
    const r6 = await client.Test06({ client_id, ...r5 });
    check("Test06", r6, test06Reply);
    const r7 = await client.Test07({ client_id, ...r6 });
    check("Test07", r7, test07Reply);
    const r8 = await client.Test08({ client_id, ...r7 });
    check("Test08", r8, test08Reply);
    const r9 = await client.Test09({ client_id, ...r8 });
    check("Test09", r9, test09Reply);
    const replies: string[] = [];
    for await (const reply of client.Test10.more({ client_id, ...r9 })) replies.push(reply.string);
    check("Test10", replies, test10Replies);
    await client.Test11.oneway({ client_id, last_more_replies: replies });
    results.push({ step: "Test11", ok: true });
    const end = await client.End({ client_id });
    check("End", end, { all_ok: true });
  } catch (error) {
    results.push({ step: `after ${results.at(-1)?.step ?? "connecting"}`, ok: false, detail: String(error) });
  } finally {
    await connection.close();
  }
  return results;
}
