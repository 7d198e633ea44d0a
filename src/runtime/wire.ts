// @varlink-ts/runtime/wire: the protocol's building blocks, for bridges, proxies and tools that
// handle varlink messages themselves rather than through a connection or a server. Node only.
export { defaultMaxMessageSize, MessageReader } from "./protocol/framing.js";
// The limits every message is held to, and what the JSON reader found.
export { hasBigIntegers, maxNestingDepth } from "./protocol/json.js";
export { maxFdsPerMessage } from "./fds/carry.js";
export { encodeMessage, parseMessage } from "./protocol/encoding.js";
export {
  buildCall,
  checkCall,
  checkReply,
  interfaceOf,
  memberOf,
  type CallMessage,
  type Checked,
  type ReplyMessage,
} from "./protocol/messages.js";
export { openTransport, type Transport } from "./transports/connect.js";
export { listenFailureReason } from "./transports/listen.js";
export type { SpawnedServer } from "./transports/exec.js";
export { WebSocketChannel, type ChannelOptions, type WebSocketMessage } from "./websocket/channel.js";
export { acceptKey, newKey } from "./websocket/frames.js";
