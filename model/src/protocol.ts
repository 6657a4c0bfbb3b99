import Type from 'typebox';
import { KafkaState } from './kafka.js';

/**
 * The live feed on `/live`: one union per direction, keyed by `type`.
 * Bump PROTOCOL_VERSION on any change a running browser could misread; the browser reloads on a mismatch.
 */
export const PROTOCOL_VERSION = 1;

/** The whole live state. The runtime adds nodes, links and topics; frames carry the same shape. */
export const Snapshot = Type.Object({
  running: Type.Boolean(),
  kafka: KafkaState,
});
export type Snapshot = Type.Static<typeof Snapshot>;

export const Hello = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Number(),
  serverVersion: Type.String(),
});
export const SnapshotMessage = Type.Object({ type: Type.Literal('snapshot'), snapshot: Snapshot });
/** A frame replaces the parts of the snapshot it carries; a coalesced frame simply carries the newest. */
export const FrameMessage = Type.Object({ type: Type.Literal('frame'), seq: Type.Number(), snapshot: Snapshot });
/** Heartbeat: lets the browser tell a quiet server from a dead connection. */
export const PingMessage = Type.Object({ type: Type.Literal('ping'), at: Type.Number() });

export const ServerMessage = Type.Union([Hello, SnapshotMessage, FrameMessage, PingMessage]);
export type ServerMessage = Type.Static<typeof ServerMessage>;

export const PongMessage = Type.Object({ type: Type.Literal('pong'), at: Type.Number() });
export const ClientMessage = Type.Union([PongMessage]);
export type ClientMessage = Type.Static<typeof ClientMessage>;

/** Seconds without any message after which the browser treats the connection as dead and reconnects. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;
