/**
 * Jupyter messaging protocol v5.3 wire format: framing, HMAC signing and verification.
 *
 * Pure functions over byte frames, no sockets. The frames of one message are
 * `[...identities, "<IDS|MSG>", signature, header, parent_header, metadata, content, ...buffers]`
 * where the signature is the hex HMAC of the four JSON frames in that order.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const DELIMITER = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
  [key: string]: unknown;
}

export interface JupyterMessage {
  /** Routing prefix: ZeroMQ identities on ROUTER sockets, the topic on PUB sockets. */
  identities: Uint8Array[];
  header: MessageHeader;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Uint8Array[];
}

/** Raised when a received message is malformed or carries a wrong signature. */
export class WireError extends Error {
  override name = "WireError";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Computes the hex signature of the four JSON parts; an empty key means signing is disabled. */
export function sign(key: string, parts: readonly (string | Uint8Array)[]): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** Session fields shared by every message one client sends. */
export interface SessionInfo {
  session: string;
  username: string;
}

/** Builds a new message header; `msgId` and `date` are injectable for deterministic tests. */
export function makeHeader(
  msgType: string,
  session: SessionInfo,
  options: { msgId?: string; date?: Date } = {},
): MessageHeader {
  return {
    msg_id: options.msgId ?? crypto.randomUUID(),
    msg_type: msgType,
    session: session.session,
    username: session.username,
    date: (options.date ?? new Date()).toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** Serializes and signs a message into ZeroMQ frames. */
export function encodeMessage(
  message: Omit<JupyterMessage, "identities" | "buffers"> & Partial<JupyterMessage>,
  key: string,
): Uint8Array[] {
  const parts = [
    JSON.stringify(message.header),
    JSON.stringify(message.parent_header ?? {}),
    JSON.stringify(message.metadata ?? {}),
    JSON.stringify(message.content ?? {}),
  ];
  return [
    ...(message.identities ?? []),
    encoder.encode(DELIMITER),
    encoder.encode(sign(key, parts)),
    ...parts.map((p) => encoder.encode(p)),
    ...(message.buffers ?? []),
  ];
}

function isDelimiter(frame: Uint8Array): boolean {
  if (frame.byteLength !== DELIMITER.length) return false;
  for (let i = 0; i < DELIMITER.length; i++) {
    if (frame[i] !== DELIMITER.charCodeAt(i)) return false;
  }
  return true;
}

function parseJsonFrame(frame: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(frame));
  } catch (error) {
    throw new WireError(`Message ${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WireError(`Message ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Parses ZeroMQ frames into a message, verifying the signature when `key` is not empty. */
export function decodeMessage(frames: readonly Uint8Array[], key: string): JupyterMessage {
  const at = frames.findIndex(isDelimiter);
  if (at < 0) throw new WireError("Message has no <IDS|MSG> delimiter");
  if (frames.length < at + 6) {
    throw new WireError(
      `Message has ${frames.length - at - 1} frames after the delimiter, expected at least 5`,
    );
  }
  const signature = decoder.decode(frames[at + 1]);
  const parts = frames.slice(at + 2, at + 6);
  if (key !== "") {
    const expected = encoder.encode(sign(key, parts));
    const actual = encoder.encode(signature);
    if (actual.byteLength !== expected.byteLength || !timingSafeEqual(actual, expected)) {
      throw new WireError("Message signature does not match the connection key");
    }
  }
  const header = parseJsonFrame(parts[0], "header");
  if (typeof header.msg_type !== "string" || typeof header.msg_id !== "string") {
    throw new WireError("Message header lacks msg_id or msg_type");
  }
  return {
    identities: frames.slice(0, at),
    header: header as MessageHeader,
    parent_header: parseJsonFrame(parts[1], "parent_header") as Partial<MessageHeader>,
    metadata: parseJsonFrame(parts[2], "metadata"),
    content: parseJsonFrame(parts[3], "content"),
    buffers: frames.slice(at + 6),
  };
}
