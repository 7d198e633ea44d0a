// The page the browser test loads: the generated io.systemd.UserDatabase client, calling
// systemd-userdbd through the HTTP bridge, once over fetch and once over a WebSocket, with a
// client interceptor on both.
import { connectWebSocket, createClient, HttpConnection, type ClientInterceptor } from "@varlink-ts/runtime";
import { NoRecordFound, UserDatabase } from "../../generated/io.systemd.UserDatabase.js";

interface Page {
  location: { search: string };
  document: { getElementById(id: string): { textContent: string | null } | null };
}

const page = globalThis as unknown as Page;
const service = "io.systemd.Multiplexer";

/** What the interceptor saw: each call's method and kind. */
const intercepted: string[] = [];
const noting: ClientInterceptor = (next) => (call) => {
  intercepted.push(`${call.method.slice(call.method.lastIndexOf(".") + 1)} ${call.kind}`);
  return next(call);
};

async function main(): Promise<object> {
  const bridge = new URLSearchParams(page.location.search).get("bridge") ?? "";
  const overHttp = createClient(UserDatabase, new HttpConnection(bridge, { service: "userdb" }), {
    validateReplies: true,
    interceptors: [noting],
  });
  const root = await overHttp.GetUserRecord({ userName: "root", service });
  let missing = "";
  try {
    await overHttp.GetUserRecord({ userName: "no-such-user-varlink-ts", service });
  } catch (error) {
    missing = error instanceof NoRecordFound ? "NoRecordFound" : String(error);
  }
  const socket = await connectWebSocket(`${bridge.replace(/^http/, "ws")}/ws/services/userdb`);
  const overWebSocket = createClient(UserDatabase, socket, { interceptors: [noting] });
  const group = await overWebSocket.GetGroupRecord({ gid: 0, service });
  let memberships = 0;
  for await (const _membership of overWebSocket.GetMemberships.more({ service })) memberships++;
  await socket.close();
  return {
    user: root.record["userName"],
    uid: root.record["uid"],
    missing,
    group: group.record["groupName"],
    memberships,
    intercepted,
  };
}

const result = page.document.getElementById("result")!;
main().then(
  (value) => (result.textContent = JSON.stringify(value)),
  (error: unknown) => (result.textContent = `error: ${error instanceof Error ? error.message : String(error)}`),
);
